package dev.srr.rank;

import dev.srr.SrrException;

import java.util.Locale;

/** The feed-forward non-linearity. GELU uses the tanh approximation (Java has no erf; the difference is below 1e-3). */
public enum Activation {
    GELU, RELU;

    private static final double C = Math.sqrt(2.0 / Math.PI);
    private static final double K = 0.044715;

    public static Activation parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "gelu" -> GELU;
            case "relu" -> RELU;
            default -> throw new SrrException("unknown activation '" + name + "' (use gelu or relu)");
        };
    }

    double apply(double x) {
        if (this == RELU) return x > 0 ? x : 0;
        return 0.5 * x * (1 + Math.tanh(C * (x + K * x * x * x)));
    }

    double derivative(double x) {
        if (this == RELU) return x > 0 ? 1 : 0;
        double th = Math.tanh(C * (x + K * x * x * x));
        return 0.5 * (1 + th) + 0.5 * x * (1 - th * th) * C * (1 + 3 * K * x * x);
    }

    double[] forward(double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) y[i] = apply(x[i]);
        return y;
    }

    double[] backward(double[] x, double[] dy) {
        double[] dx = new double[x.length];
        for (int i = 0; i < x.length; i++) dx[i] = dy[i] * derivative(x[i]);
        return dx;
    }
}
