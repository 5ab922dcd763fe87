package dev.srr.eval;

import dev.srr.SrrException;
import dev.srr.rank.RankingMetrics;
import org.apache.commons.statistics.descriptive.NaNPolicy;
import org.apache.commons.statistics.descriptive.Quantile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Percentile bootstrap over test lists (Efron and Tibshirani, "An Introduction to the Bootstrap", 1993, ch. 13):
 * draw {@code replicates} samples of the n lists with replacement, recompute a metric on each, and take the
 * (alpha/2, 1 - alpha/2) percentiles of the replicates. Every method is evaluated on the same resamples (paired),
 * which a seed fixes. Percentiles use the Hyndman-Fan type 7 estimator (linear interpolation between order
 * statistics, numpy's default), computed by Apache Commons Statistics. Replicates where a metric is undefined
 * (e.g. a resample without an evaluable list) are left out of its percentiles.
 *
 * @param replicates how many resamples (0: no intervals)
 * @param seed       seed of the resamples
 * @param level      the interval's coverage, e.g. 0.95
 */
public record Bootstrap(int replicates, long seed, double level) {

    /** No intervals. */
    public static final Bootstrap NONE = new Bootstrap(0, 0, 0.95);

    public Bootstrap {
        if (replicates < 0) throw new SrrException("bootstrap replicates must be 0 (off) or positive, got " + replicates);
        if (!(level > 0 && level < 1)) throw new SrrException("bootstrap level must be in (0, 1), got " + level);
    }

    /** A two-sided interval; NaN ends when the metric was undefined in every replicate. */
    public record Interval(double lo, double hi) {
        public static final Interval UNDEFINED = new Interval(Double.NaN, Double.NaN);

        public boolean contains(double v) {
            return v >= lo && v <= hi;
        }

        public List<Object> toJson() {
            List<Object> l = new ArrayList<>();
            l.add(Double.isNaN(lo) ? null : lo);
            l.add(Double.isNaN(hi) ? null : hi);
            return l;
        }
    }

    /** Intervals for the four ranking metrics of one method. */
    public record MetricIntervals(Interval accuracy, Interval unsafeSelectionRate, Interval pairwiseAuc, Interval mrr) {
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ranking_accuracy", accuracy.toJson());
            m.put("unsafe_selection_rate", unsafeSelectionRate.toJson());
            m.put("pairwise_auc", pairwiseAuc.toJson());
            m.put("mrr_first_safe", mrr.toJson());
            return m;
        }
    }

    public boolean on() {
        return replicates > 0;
    }

    /**
     * The resamples: {@code replicates} arrays of n indices in [0, n), drawn uniformly with replacement from a
     * {@link SplittableRandom} seeded with {@link #seed}.
     */
    public int[][] resamples(int n) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[][] out = new int[replicates][n];
        for (int[] r : out) for (int i = 0; i < n; i++) r[i] = rng.nextInt(n);
        return out;
    }

    /** The percentile interval of replicate values; NaN values are left out. */
    public Interval interval(double[] values) {
        double[] defined = java.util.Arrays.stream(values).filter(v -> !Double.isNaN(v)).toArray();
        if (defined.length == 0) return Interval.UNDEFINED;
        double a = (1 - level) / 2;
        double[] q = Quantile.withDefaults().with(Quantile.EstimationMethod.HF7).with(NaNPolicy.ERROR).evaluate(defined, a, 1 - a);
        return new Interval(q[0], q[1]);
    }

    /**
     * Intervals of the ranking metrics of one method.
     *
     * @param metricOf the method's metrics on the lists a resample picks (indices into the test lists)
     */
    public MetricIntervals metrics(int[][] resamples, Function<int[], RankingMetrics> metricOf) {
        int b = resamples.length;
        double[] acc = new double[b], unsafe = new double[b], auc = new double[b], mrr = new double[b];
        for (int r = 0; r < b; r++) {
            RankingMetrics m = metricOf.apply(resamples[r]);
            acc[r] = m.accuracy();
            unsafe[r] = m.unsafeSelectionRate();
            auc[r] = m.pairwiseAuc();
            mrr[r] = m.mrr();
        }
        return new MetricIntervals(interval(acc), interval(unsafe), interval(auc), interval(mrr));
    }

    /** The elements of {@code items} a resample picks, in its order. */
    public static <T> List<T> pick(List<T> items, int[] indices) {
        List<T> out = new ArrayList<>(indices.length);
        for (int i : indices) out.add(items.get(i));
        return out;
    }
}
