package dev.srr.eval;

import dev.srr.rank.RankingMetrics;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BootstrapTest {

    /** Random lists of 2..6 candidates with both labels, and random scores. */
    private static List<Boolean[]> labels(Random r, int n) {
        List<Boolean[]> out = new ArrayList<>();
        for (int l = 0; l < n; l++) {
            int m = 2 + r.nextInt(5);
            Boolean[] y = new Boolean[m];
            for (int i = 0; i < m; i++) y[i] = r.nextBoolean();
            y[0] = true;
            y[1] = false;
            out.add(y);
        }
        return out;
    }

    @Test
    void accuracyIntervalMatchesAnIndependentComputation() {
        Random r = new Random(5);
        List<Boolean[]> labels = labels(r, 60);
        List<double[]> scores = labels.stream().map(y -> r.doubles(y.length).toArray()).toList();
        Bootstrap b = new Bootstrap(400, 11, 0.95);
        int[][] resamples = b.resamples(labels.size());
        Bootstrap.MetricIntervals ci = b.metrics(resamples, idx -> RankingMetrics.compute(Bootstrap.pick(scores, idx), Bootstrap.pick(labels, idx)));

        // independent: per-list correctness by hand, the accuracy of each resample, then a sorted type-7 percentile
        boolean[] correct = new boolean[labels.size()];
        for (int l = 0; l < correct.length; l++) {
            double[] s = scores.get(l);
            int top = 0;
            for (int i = 1; i < s.length; i++) if (s[i] > s[top]) top = i;
            correct[l] = labels.get(l)[top];
        }
        double[] acc = new double[resamples.length];
        for (int k = 0; k < resamples.length; k++) {
            int c = 0;
            for (int i : resamples[k]) if (correct[i]) c++;
            acc[k] = (double) c / resamples[k].length;
        }
        Arrays.sort(acc);
        assertEquals(type7(acc, 0.025), ci.accuracy().lo(), 1e-12);
        assertEquals(type7(acc, 0.975), ci.accuracy().hi(), 1e-12);

        RankingMetrics point = RankingMetrics.compute(scores, labels);
        assertTrue(ci.accuracy().contains(point.accuracy()), ci.accuracy() + " vs " + point.accuracy());
        assertTrue(ci.pairwiseAuc().contains(point.pairwiseAuc()), ci.pairwiseAuc() + " vs " + point.pairwiseAuc());
        assertTrue(ci.mrr().contains(point.mrr()));
        assertTrue(ci.unsafeSelectionRate().contains(point.unsafeSelectionRate()));
        assertTrue(ci.accuracy().hi() - ci.accuracy().lo() > 0.05, "a real interval on 60 lists: " + ci.accuracy());
    }

    /** numpy's default percentile: h = (n - 1) p, linear between the order statistics around h. */
    private static double type7(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    @Test
    void resamplesAreSeededAndWithinRange() {
        Bootstrap b = new Bootstrap(50, 3, 0.95);
        int[][] one = b.resamples(17);
        assertEquals(50, one.length);
        for (int[] r : one) for (int i : r) assertTrue(i >= 0 && i < 17);
        int[][] two = b.resamples(17);
        for (int k = 0; k < one.length; k++) assertArrayEquals(one[k], two[k]);
        int[][] other = new Bootstrap(50, 4, 0.95).resamples(17);
        assertTrue(!Arrays.equals(one[0], other[0]) || !Arrays.equals(one[1], other[1]));
    }

    @Test
    void undefinedReplicatesAreLeftOut() {
        Bootstrap b = new Bootstrap(4, 1, 0.5);
        Bootstrap.Interval i = b.interval(new double[]{Double.NaN, 1, 3, Double.NaN});
        assertEquals(1.5, i.lo(), 1e-12); // type 7 on {1, 3} at 0.25 and 0.75
        assertEquals(2.5, i.hi(), 1e-12);
        assertTrue(Double.isNaN(b.interval(new double[]{Double.NaN}).lo()));
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(dev.srr.SrrException.class, () -> new Bootstrap(-1, 0, 0.95));
        assertThrows(dev.srr.SrrException.class, () -> new Bootstrap(10, 0, 1.0));
    }
}
