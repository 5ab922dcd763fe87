package dev.srr.rank;

import java.util.List;

/**
 * Per-dimension {@code z = (x - mean) / scale} with statistics from the training vectors (instructions and
 * candidates together). LLM hidden states have a few dimensions hundreds of times larger than the rest;
 * without this they dominate the projection. Stored as float32 so checkpoints reproduce scores exactly.
 */
public record Standardization(float[] mean, float[] scale) {

    public int dim() {
        return mean.length;
    }

    /** Mean and standard deviation over every vector in {@code lists}; constant dimensions get scale 1. */
    public static Standardization fit(List<FeatureList> lists, int d) {
        double[] sum = new double[d];
        long n = 0;
        for (FeatureList l : lists) {
            add(sum, l.instruction());
            for (float[] c : l.candidates()) add(sum, c);
            n += 1 + l.size();
        }
        if (n == 0) throw new IllegalArgumentException("no vectors to standardise with");
        double[] mean = new double[d];
        for (int j = 0; j < d; j++) mean[j] = sum[j] / n;
        double[] sq = new double[d];
        for (FeatureList l : lists) {
            addSquares(sq, mean, l.instruction());
            for (float[] c : l.candidates()) addSquares(sq, mean, c);
        }
        float[] m = new float[d];
        float[] s = new float[d];
        for (int j = 0; j < d; j++) {
            double std = Math.sqrt(sq[j] / n);
            m[j] = (float) mean[j];
            s[j] = std > 1e-6 ? (float) std : 1f;
        }
        return new Standardization(m, s);
    }

    /** Writes the standardised {@code x} into {@code out[offset ..]}. */
    void apply(float[] x, double[] out, int offset) {
        for (int j = 0; j < x.length; j++) out[offset + j] = ((double) x[j] - mean[j]) / scale[j];
    }

    private static void add(double[] sum, float[] v) {
        for (int j = 0; j < v.length; j++) sum[j] += v[j];
    }

    private static void addSquares(double[] sq, double[] mean, float[] v) {
        for (int j = 0; j < v.length; j++) {
            double c = v[j] - mean[j];
            sq[j] += c * c;
        }
    }
}
