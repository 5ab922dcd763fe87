package dev.srr.rank;

import java.util.function.ToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Central finite differences in double precision against an analytic gradient. */
final class GradientCheck {
    static final double STEP = 1e-5;
    static final double TOLERANCE = 1e-6;

    private GradientCheck() {
    }

    /**
     * Perturbs each entry of {@code x} in place and compares {@code (f(x+h) - f(x-h)) / 2h} with
     * {@code analytic}. The error is |a - n| / max(1, |a|, |n|): relative for large gradients, absolute for small.
     */
    static double check(String what, double[] x, double[] analytic, ToDoubleFunction<double[]> f) {
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            double keep = x[i];
            x[i] = keep + STEP;
            double up = f.applyAsDouble(x);
            x[i] = keep - STEP;
            double down = f.applyAsDouble(x);
            x[i] = keep;
            double numeric = (up - down) / (2 * STEP);
            double err = Math.abs(analytic[i] - numeric) / Math.max(1.0, Math.max(Math.abs(analytic[i]), Math.abs(numeric)));
            worst = Math.max(worst, err);
        }
        System.out.printf("gradient check %-28s %4d entries, worst error %.2e%n", what, x.length, worst);
        assertTrue(worst < TOLERANCE, what + ": worst gradient error " + worst);
        return worst;
    }

    static double[] random(java.util.Random rng, int n, double scale) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = scale * rng.nextGaussian();
        return v;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
