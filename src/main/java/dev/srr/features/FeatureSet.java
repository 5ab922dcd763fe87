package dev.srr.features;

import dev.srr.rank.FeatureList;
import dev.srr.data.CandidateOrder;
import dev.srr.data.Labeler;
import dev.srr.data.SafetyList;
import dev.srr.SrrException;
import dev.srr.engine.Pooling;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Lists of a data file joined with their cached features at one layer and pooling: what training and evaluation
 * read. Lists of the data without cached features are counted, not silently mixed in.
 */
public record FeatureSet(List<SafetyList> lists, List<FeatureList> features, int missing) {

    /**
     * @param labeler decides each candidate's label (given or keyword)
     */
    public static FeatureSet join(List<SafetyList> data, Path dataFile, FeatureCache cache, int layer, Pooling pooling, Labeler labeler) {
        if (!cache.hasLayer(layer)) {
            throw new SrrException(cache.path() + ": layer " + layer + " is not cached (cached: "
                    + java.util.Arrays.toString(cache.header().layers()) + ")");
        }
        if (!cache.header().poolings().contains(pooling)) {
            throw new SrrException(cache.path() + ": pooling " + pooling.label() + " is not cached");
        }
        List<SafetyList> lists = new ArrayList<>();
        List<FeatureList> features = new ArrayList<>();
        int missing = 0;
        for (SafetyList l : data) {
            if (l.candidates().isEmpty()) continue;
            int i = cache.indexOf(l.id());
            if (i < 0) {
                missing++;
                continue;
            }
            if (cache.candidateCount(i) != l.candidates().size()) {
                throw new SrrException(cache.path() + ": list '" + l.id() + "' has " + cache.candidateCount(i)
                        + " cached candidates but " + l.candidates().size() + " in " + dataFile + " (run srr features again)");
            }
            lists.add(l);
            features.add(new FeatureList(l.id(), cache.instruction(i, layer), cache.candidates(i, layer, pooling), labeler.labels(l)));
        }
        if (lists.isEmpty()) {
            throw new SrrException(cache.path() + ": none of the lists in " + dataFile + " has cached features (run srr features on it)");
        }
        return new FeatureSet(lists, features, missing);
    }

    /** The layer to use: the one asked for, else the 25%-depth layer if cached, else the only cached layer. */
    public static int defaultLayer(FeatureCache cache, Integer asked) {
        if (asked != null) return asked;
        int quarter = Math.max(1, (int) Math.round(0.25 * cache.header().numLayers()));
        if (cache.hasLayer(quarter)) return quarter;
        int[] layers = cache.header().layers();
        if (layers.length == 1) return layers[0];
        throw new SrrException(cache.path() + ": holds layers " + java.util.Arrays.toString(layers) + "; choose one with --layer");
    }

    /**
     * The lists and their features with each list's candidates in the seeded order of {@link CandidateOrder}, alike
     * for both, so every method evaluated on the set sees the same order.
     */
    public FeatureSet shuffled(long seed) {
        List<SafetyList> l = new ArrayList<>();
        List<FeatureList> f = new ArrayList<>();
        for (int i = 0; i < lists.size(); i++) {
            SafetyList list = lists.get(i);
            l.add(CandidateOrder.shuffle(list, seed));
            f.add(features.get(i).permuted(CandidateOrder.permutation(list.id(), list.candidates().size(), seed)));
        }
        return new FeatureSet(List.copyOf(l), List.copyOf(f), missing);
    }

    /** The sub-set at the given positions. */
    public FeatureSet select(List<SafetyList> subset) {
        java.util.Map<String, Integer> at = new java.util.HashMap<>();
        for (int i = 0; i < lists.size(); i++) at.put(lists.get(i).id(), i);
        List<SafetyList> l = new ArrayList<>();
        List<FeatureList> f = new ArrayList<>();
        for (SafetyList s : subset) {
            Integer i = at.get(s.id());
            if (i == null) continue;
            l.add(lists.get(i));
            f.add(features.get(i));
        }
        return new FeatureSet(l, f, 0);
    }
}
