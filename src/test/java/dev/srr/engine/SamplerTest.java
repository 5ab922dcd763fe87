package dev.srr.engine;

import dev.srr.SrrException;
import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The filters on hand-built logits, checked against probabilities worked out from the softmax by hand. */
class SamplerTest {
    /** Logits of log-probabilities, so the softmax gives these probabilities back. */
    static final double[] PROBS = {0.05, 0.4, 0.1, 0.25, 0.15, 0.05};

    static float[] logits() {
        float[] l = new float[PROBS.length];
        for (int i = 0; i < l.length; i++) l[i] = (float) Math.log(PROBS[i]);
        return l;
    }

    /** Which tokens survive the filters (weight above zero). */
    static boolean[] kept(SamplingOptions o) {
        float[] w = new Sampler(o).distribution(logits());
        boolean[] k = new boolean[w.length];
        for (int i = 0; i < w.length; i++) k[i] = w[i] > 0;
        return k;
    }

    @Test
    void temperatureOneGivesTheSoftmax() {
        float[] w = new Sampler(SamplingOptions.temperature(1f)).distribution(logits());
        double total = 0;
        for (float x : w) total += x;
        for (int i = 0; i < w.length; i++) assertEquals(PROBS[i], w[i] / total, 1e-6, "token " + i);
    }

    @Test
    void temperatureSharpensAndFlattens() {
        float[] cold = new Sampler(SamplingOptions.temperature(0.5f)).distribution(logits());
        float[] hot = new Sampler(SamplingOptions.temperature(2f)).distribution(logits());
        // at temperature T, weights are p^(1/T) relative to the top token
        for (int i = 0; i < PROBS.length; i++) {
            assertEquals(Math.pow(PROBS[i] / 0.4, 2), cold[i], 1e-6);
            assertEquals(Math.pow(PROBS[i] / 0.4, 0.5), hot[i], 1e-6);
        }
    }

    @Test
    void topKKeepsTheKMostLikely() {
        assertArrayEquals(new boolean[]{false, true, false, true, true, false}, kept(SamplingOptions.temperature(1f).withTopK(3)));
        assertArrayEquals(new boolean[]{false, true, false, false, false, false}, kept(SamplingOptions.temperature(1f).withTopK(1)));
    }

    @Test
    void topKKeepsTiesWithTheKthValue() {
        // tokens 0 and 5 tie at 0.05: top-5 keeps both, as transformers' `scores < kth value` cut does
        assertArrayEquals(new boolean[]{true, true, true, true, true, true}, kept(SamplingOptions.temperature(1f).withTopK(5)));
    }

    @Test
    void topPKeepsTheSmallestSetReachingP() {
        // sorted: 0.4, 0.25, 0.15, 0.1, 0.05, 0.05; cumulative 0.4, 0.65, 0.8, 0.9 ...
        assertArrayEquals(new boolean[]{false, true, false, false, false, false}, kept(SamplingOptions.temperature(1f).withTopP(0.3f)));
        assertArrayEquals(new boolean[]{false, true, false, true, false, false}, kept(SamplingOptions.temperature(1f).withTopP(0.6f)));
        assertArrayEquals(new boolean[]{false, true, false, true, true, false}, kept(SamplingOptions.temperature(1f).withTopP(0.7f)));
        assertArrayEquals(new boolean[]{false, true, true, true, true, false}, kept(SamplingOptions.temperature(1f).withTopP(0.85f)));
    }

    @Test
    void topPOverAWideVocabularyMatchesAFullSort() {
        // many small tokens below the sorting floor: the nucleus must still be exact
        float[] l = new float[5000];
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < l.length; i++) l[i] = (float) r.nextGaussian() * 3;
        for (float p : new float[]{0.1f, 0.5f, 0.9f, 0.999f}) {
            float[] w = new Sampler(SamplingOptions.temperature(1f).withTopP(p)).distribution(l);
            double[] probs = softmax(l);
            Integer[] order = new Integer[l.length];
            for (int i = 0; i < order.length; i++) order[i] = i;
            java.util.Arrays.sort(order, (a, b) -> Double.compare(probs[b], probs[a]));
            double above = 0;
            for (int i : order) {
                assertEquals(above < p, w[i] > 0, "p=" + p + " token " + i + " with " + above + " above it");
                above += probs[i];
            }
        }
    }

    @Test
    void minPDropsTokensBelowAFractionOfTheTop() {
        // top probability 0.4; min-p 0.5 keeps p >= 0.2
        assertArrayEquals(new boolean[]{false, true, false, true, false, false}, kept(SamplingOptions.temperature(1f).withMinP(0.5f)));
        assertArrayEquals(new boolean[]{false, true, true, true, true, false}, kept(SamplingOptions.temperature(1f).withMinP(0.25f)));
    }

    @Test
    void filtersCompose() {
        // top-k 4 leaves 0.4, 0.25, 0.15, 0.1; then top-p 0.8 of the renormalised 0.444, 0.278, 0.167, 0.111 keeps three
        assertArrayEquals(new boolean[]{false, true, false, true, true, false},
                kept(SamplingOptions.temperature(1f).withTopK(4).withTopP(0.8f)));
    }

    @Test
    void repetitionPenaltyDividesPositiveAndMultipliesNegativeLogits() {
        float[] l = {2f, -2f, 1f, -1f};
        BitSet seen = new BitSet();
        seen.set(0);
        seen.set(1);
        Sampler.penalize(l, seen, 2f);
        assertArrayEquals(new float[]{1f, -4f, 1f, -1f}, l);
    }

    @Test
    void repetitionPenaltyChangesTheGreedyChoice() {
        float[] l = {3f, 2.5f, 0f};
        BitSet seen = new BitSet();
        seen.set(0);
        assertEquals(0, new Sampler(SamplingOptions.greedyDecoding()).sample(l.clone(), new BitSet(), null));
        assertEquals(1, new Sampler(SamplingOptions.greedyDecoding().withRepetitionPenalty(1.5f)).sample(l.clone(), seen, null));
    }

    @Test
    void drawsFollowTheFilteredDistribution() {
        Sampler s = new Sampler(SamplingOptions.temperature(1f).withTopK(3));
        SplittableRandom r = Sampler.randomFor(11, 0);
        int[] counts = new int[PROBS.length];
        int n = 40000;
        for (int i = 0; i < n; i++) counts[s.sample(logits(), new BitSet(), r)]++;
        assertEquals(0, counts[0] + counts[2] + counts[5]);
        double kept = 0.4 + 0.25 + 0.15;
        for (int t : new int[]{1, 3, 4}) assertEquals(PROBS[t] / kept, counts[t] / (double) n, 0.01, "token " + t);
    }

    @Test
    void candidateStreamsAreReproducibleAndDistinct() {
        for (int i = 0; i < 8; i++) {
            assertEquals(Sampler.randomFor(42, i).nextLong(), Sampler.randomFor(42, i).nextLong());
            assertNotEquals(Sampler.randomFor(42, i).nextLong(), Sampler.randomFor(42, i + 1).nextLong());
            assertNotEquals(Sampler.randomFor(42, i).nextLong(), Sampler.randomFor(43, i).nextLong());
        }
        // a stream must not be a shifted copy of its neighbour's
        SplittableRandom a = Sampler.randomFor(42, 0);
        a.nextLong();
        assertNotEquals(a.nextLong(), Sampler.randomFor(42, 1).nextLong());
    }

    @Test
    void invalidOptionsAreUserErrors() {
        assertThrows(SrrException.class, () -> SamplingOptions.temperature(0f));
        assertThrows(SrrException.class, () -> SamplingOptions.temperature(1f).withTopP(0f));
        assertThrows(SrrException.class, () -> SamplingOptions.temperature(1f).withTopP(1.5f));
        assertThrows(SrrException.class, () -> SamplingOptions.temperature(1f).withMinP(-0.1f));
        assertThrows(SrrException.class, () -> SamplingOptions.temperature(1f).withTopK(-1));
        assertThrows(SrrException.class, () -> SamplingOptions.temperature(1f).withRepetitionPenalty(0f));
        assertTrue(SamplingOptions.greedyDecoding().greedy());
    }

    private static double[] softmax(float[] l) {
        double max = Double.NEGATIVE_INFINITY;
        for (float x : l) max = Math.max(max, x);
        double[] p = new double[l.length];
        double sum = 0;
        for (int i = 0; i < l.length; i++) sum += p[i] = Math.exp(l[i] - max);
        for (int i = 0; i < l.length; i++) p[i] /= sum;
        return p;
    }
}
