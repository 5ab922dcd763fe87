package dev.srr.rank;

import java.util.Random;

/** Inverted dropout: kept values are scaled by 1/(1-rate) so inference needs no rescaling. */
final class Dropout {
    private Dropout() {
    }

    /** A mask of 0 and 1/(1-rate) drawn from {@code rng}, or null when nothing is dropped. */
    static double[] mask(int n, double rate, Random rng) {
        if (rate <= 0 || rng == null) return null;
        double keep = 1.0 / (1.0 - rate);
        double[] m = new double[n];
        for (int i = 0; i < n; i++) m[i] = rng.nextDouble() < rate ? 0.0 : keep;
        return m;
    }

    /** Applies the mask (also the backward pass, since the map is linear and diagonal). */
    static double[] apply(double[] x, double[] mask) {
        if (mask == null) return x;
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) y[i] = x[i] * mask[i];
        return y;
    }
}
