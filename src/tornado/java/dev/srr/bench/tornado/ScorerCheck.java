package dev.srr.bench.tornado;

import dev.srr.compute.tornado.TornadoScorer;
import dev.srr.rank.Activation;
import dev.srr.rank.FeatureList;
import dev.srr.rank.Parameters;
import dev.srr.rank.Ranker;
import dev.srr.rank.RankerConfig;
import dev.srr.rank.Standardization;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * {@link TornadoScorer} against the CPU {@link Ranker} on random rankers and lists: shared by the JUnit test
 * (PoCL) and {@link GpuCheck} (a GPU host without JUnit). Random weights include non-trivial gains and biases;
 * features have a few dimensions a hundred times larger than the rest, like LLM hidden states.
 */
public final class ScorerCheck {
    /** Scores are float on the device, double on the CPU. */
    public static final double TOLERANCE = 1e-5;

    /** One case's outcome: worst relative error over its lists and what it was. */
    public record Result(String what, double error) {
    }

    private ScorerCheck() {
    }

    /** Shapes covering awkward sizes, both activations, with and without standardisation, and a paper-sized ranker. */
    public static List<RankerConfig> configs(int featureDim) {
        return List.of(
                new RankerConfig(7, 8, 2, 12, 0.1, 0, true, Activation.GELU),
                new RankerConfig(45, 24, 3, 40, 0.5, 0, false, Activation.RELU),
                new RankerConfig(130, 64, 4, 96, 0.1, 0, true, Activation.RELU),
                RankerConfig.defaults(featureDim).withDropout(0));
    }

    public static Ranker randomRanker(RankerConfig c, long seed) {
        Random rng = new Random(seed);
        Parameters ps = c.zeroParameters();
        for (Parameters.Param p : ps.all()) {
            double[] v = p.values();
            double std = p.shape().length == 2 ? 1.0 / Math.sqrt(p.shape()[0]) : 0.1;
            for (int i = 0; i < v.length; i++) v[i] = (p.name().endsWith(".gain") ? 1 : 0) + std * rng.nextGaussian();
        }
        Standardization s = null;
        if (c.standardize()) {
            float[] mean = new float[c.featureDim()];
            float[] scale = new float[c.featureDim()];
            for (int i = 0; i < mean.length; i++) {
                mean[i] = (float) rng.nextGaussian();
                scale[i] = (float) (0.5 + rng.nextDouble() * (i % 17 == 0 ? 100 : 2));
            }
            s = new Standardization(mean, scale);
        }
        return new Ranker(c, ps, s);
    }

    /** Lists of 1 to {@code maxCandidates} candidates. */
    public static List<FeatureList> randomLists(int d, int count, int maxCandidates, long seed) {
        Random rng = new Random(seed);
        List<FeatureList> lists = new ArrayList<>();
        for (int l = 0; l < count; l++) {
            int k = 1 + rng.nextInt(maxCandidates);
            float[][] c = new float[k][];
            for (int i = 0; i < k; i++) c[i] = vector(d, rng);
            lists.add(new FeatureList("list" + l, vector(d, rng), c, null));
        }
        return lists;
    }

    private static float[] vector(int d, Random rng) {
        float[] v = new float[d];
        for (int i = 0; i < d; i++) v[i] = (float) (rng.nextGaussian() * (i % 17 == 0 ? 100 : 1));
        return v;
    }

    /** Scores every configuration's random lists on both, batched and one list at a time; returns each case's worst error. */
    public static List<Result> run(int featureDim, int lists, int maxCandidates) {
        List<Result> out = new ArrayList<>();
        long seed = 1;
        for (RankerConfig c : configs(featureDim)) {
            Ranker cpu = randomRanker(c, seed++);
            List<FeatureList> ls = randomLists(c.featureDim(), lists, maxCandidates, seed++);
            List<double[]> expected = cpu.scoreAll(ls);
            try (TornadoScorer gpu = new TornadoScorer(cpu)) {
                List<double[]> batched = gpu.scoreAll(ls);
                double worst = 0;
                for (int i = 0; i < ls.size(); i++) {
                    worst = Math.max(worst, relativeError(batched.get(i), expected.get(i)));
                    worst = Math.max(worst, relativeError(gpu.score(ls.get(i)), expected.get(i)));
                }
                out.add(new Result(String.format("d=%d p=%d heads=%d ff=%d %s%s, %d lists", c.featureDim(), c.projDim(), c.heads(),
                        c.ffDim(), c.activation(), c.standardize() ? " standardized" : "", ls.size()), worst));
            }
        }
        return out;
    }

    /** ||a - e|| / ||e||, as the forward tests measure. */
    public static double relativeError(double[] a, double[] e) {
        if (a.length != e.length) throw new AssertionError("length " + a.length + " != " + e.length);
        double num = 0;
        double den = 0;
        for (int i = 0; i < a.length; i++) {
            num += (a[i] - e[i]) * (a[i] - e[i]);
            den += e[i] * e[i];
        }
        return den == 0 ? Math.sqrt(num) : Math.sqrt(num / den);
    }
}
