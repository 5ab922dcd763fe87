package dev.srr.rank;

import dev.srr.SrrException;

import java.util.ArrayList;
import java.util.List;

/**
 * A trained ranker ready to score lists. Its weights and statistics hold float32 values (the checkpoint
 * format) and are used in double precision, so a saved and reloaded ranker gives bit-identical scores.
 * Immutable and safe to share between threads.
 */
public final class Ranker {
    private final RankerConfig config;
    private final Parameters params;
    private final Standardization standardization;
    private final RankerNetwork network;

    /**
     * @param params          weights; rounded to float32 here
     * @param standardization required when {@code config.standardize()}, ignored otherwise
     */
    public Ranker(RankerConfig config, Parameters params, Standardization standardization) {
        this.config = config;
        this.params = params.roundedToFloat();
        if (config.standardize()) {
            if (standardization == null) throw new IllegalArgumentException("standardisation statistics missing");
            if (standardization.dim() != config.featureDim()) {
                throw new IllegalArgumentException("standardisation has dimension " + standardization.dim()
                        + ", ranker " + config.featureDim());
            }
            this.standardization = standardization;
        } else {
            this.standardization = null;
        }
        this.network = new RankerNetwork(config, this.params);
    }

    public RankerConfig config() {
        return config;
    }

    /** The weights (float32 values held as doubles); callers must not modify them. */
    public Parameters parameters() {
        return params;
    }

    /** Null when the ranker was trained without standardisation. */
    public Standardization standardization() {
        return standardization;
    }

    public long parameterCount() {
        return params.count();
    }

    /** Scores of the candidates: higher means safer. */
    public double[] score(float[] instruction, float[][] candidates) {
        return score(new FeatureList("list", instruction, candidates, null));
    }

    public double[] score(FeatureList list) {
        return scoreAll(List.of(list)).getFirst();
    }

    /** Scores many lists, batched; each list's scores depend only on that list. */
    public List<double[]> scoreAll(List<FeatureList> lists) {
        List<double[]> out = new ArrayList<>(lists.size());
        final int batch = 64;
        for (int from = 0; from < lists.size(); from += batch) {
            List<FeatureList> part = lists.subList(from, Math.min(lists.size(), from + batch));
            Segments seg = segments(part);
            double[] z = inputs(part, seg);
            for (double[] s : network.forward(z, seg, null).scores()) out.add(s);
        }
        return out;
    }

    static Segments segments(List<FeatureList> lists) {
        int[] lengths = new int[lists.size()];
        for (int i = 0; i < lengths.length; i++) lengths[i] = 1 + lists.get(i).size();
        return Segments.of(lengths);
    }

    /** The batch's standardised rows: per list the instruction, then its candidates. */
    double[] inputs(List<FeatureList> lists, Segments seg) {
        return inputs(lists, seg, config.featureDim(), standardization);
    }

    static double[] inputs(List<FeatureList> lists, Segments seg, int d, Standardization std) {
        double[] z = new double[seg.rows() * d];
        for (int l = 0; l < lists.size(); l++) {
            FeatureList list = lists.get(l);
            if (list.dim() != d) {
                throw new SrrException("list " + list.id() + ": features have dimension " + list.dim()
                        + " but the ranker expects " + d);
            }
            int row = seg.offset(l);
            put(list.instruction(), z, row * d, std);
            for (int i = 0; i < list.size(); i++) put(list.candidates()[i], z, (row + 1 + i) * d, std);
        }
        return z;
    }

    private static void put(float[] x, double[] z, int offset, Standardization std) {
        if (std != null) {
            std.apply(x, z, offset);
        } else {
            for (int j = 0; j < x.length; j++) z[offset + j] = x[j];
        }
    }
}
