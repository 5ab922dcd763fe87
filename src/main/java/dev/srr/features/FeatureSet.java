package dev.srr.features;

import dev.srr.rank.FeatureList;
import dev.srr.data.CandidateOrder;
import dev.srr.data.SafetyList;

import java.util.ArrayList;
import java.util.List;

/**
 * Lists of a data file joined with their features at one layer and pooling ({@link FeatureSource#join}): what
 * training and evaluation read. Lists of the data without features are counted as {@code missing}, not silently
 * mixed in.
 */
public record FeatureSet(List<SafetyList> lists, List<FeatureList> features, int missing) {

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
