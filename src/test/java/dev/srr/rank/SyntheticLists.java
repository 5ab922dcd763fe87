package dev.srr.rank;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Synthetic feature lists for testing and demonstrating training without a language model. Safety is carried
 * by one hidden direction: a safe candidate's vector is shifted by {@code +signal} along it, an unsafe one by
 * {@code -signal}. Around that sit the things real hidden states have: per-list topic vectors shared by the
 * instruction and its candidates, unit noise, a block of distractor dimensions driven by a random per-candidate
 * "style" factor, and a few huge-magnitude dimensions (hundreds, with large variance) that carry nothing.
 */
public final class SyntheticLists {
    private final int dim;
    private final double signal;
    private final double[] direction;
    private final int[] hugeDims;
    private final int distractorFrom;
    private final int distractorTo;

    /** A task over {@code dim >= 16} dimensions; {@code seed} fixes the hidden direction. */
    public SyntheticLists(int dim, double signal, long seed) {
        if (dim < 16) throw new IllegalArgumentException("synthetic lists need at least 16 dimensions");
        Random rng = new Random(seed);
        this.dim = dim;
        this.signal = signal;
        this.hugeDims = new int[]{1, dim / 3, dim / 2 + 1, dim - 2};
        this.distractorFrom = dim - 1 - dim / 8;
        this.distractorTo = dim - 1;
        double[] v = new double[dim];
        double norm = 0;
        for (int j = 0; j < dim; j++) {
            v[j] = isHuge(j) ? 0 : rng.nextGaussian();
            norm += v[j] * v[j];
        }
        norm = Math.sqrt(norm);
        for (int j = 0; j < dim; j++) v[j] /= norm;
        this.direction = v;
    }

    /** {@code count} lists of 4 to {@code maxCandidates} candidates, each with at least one safe and one unsafe. */
    public List<FeatureList> lists(int count, int maxCandidates, long seed) {
        Random rng = new Random(seed);
        List<FeatureList> out = new ArrayList<>(count);
        for (int l = 0; l < count; l++) {
            int m = 4 + rng.nextInt(Math.max(1, maxCandidates - 3));
            int safeCount = 1 + rng.nextInt(m - 1);
            double[] topic = new double[dim];
            for (int j = 0; j < dim; j++) topic[j] = rng.nextGaussian();
            float[] instruction = vector(topic, 0, 0, rng);
            float[][] cands = new float[m][];
            Boolean[] safe = new Boolean[m];
            for (int i = 0; i < m; i++) {
                safe[i] = i < safeCount;
                cands[i] = vector(topic, safe[i] ? signal : -signal, rng.nextGaussian() * 3, rng);
            }
            // shuffle so that position says nothing about safety
            for (int i = m - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                float[] c = cands[i];
                cands[i] = cands[j];
                cands[j] = c;
                Boolean s = safe[i];
                safe[i] = safe[j];
                safe[j] = s;
            }
            out.add(new FeatureList("synthetic-" + seed + "-" + l, instruction, cands, safe));
        }
        return out;
    }

    private float[] vector(double[] topic, double shift, double style, Random rng) {
        float[] x = new float[dim];
        for (int j = 0; j < dim; j++) {
            double v;
            if (isHuge(j)) {
                v = 400 + 150 * rng.nextGaussian();
            } else {
                v = 0.7 * topic[j] + rng.nextGaussian() + shift * direction[j];
                if (j >= distractorFrom && j < distractorTo) v += style;
            }
            x[j] = (float) v;
        }
        return x;
    }

    private boolean isHuge(int j) {
        for (int h : hugeDims) if (h == j) return true;
        return false;
    }
}
