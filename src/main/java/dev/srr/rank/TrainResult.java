package dev.srr.rank;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a training run produced.
 *
 * @param ranker          the kept ranker (best validation epoch, or the last epoch without validation)
 * @param bestEpoch       1-based epoch of the kept weights
 * @param history         every epoch's report
 * @param validation      metrics of the kept ranker on all validation lists (null without validation lists)
 * @param counts          what was used and skipped
 * @param trainingDataHash {@link FeatureList#sha256} of the training lists
 * @param seconds         total wall time
 */
public record TrainResult(Ranker ranker, int bestEpoch, List<EpochReport> history, RankingMetrics validation,
                          DataCounts counts, String trainingDataHash, long seed, double seconds) {

    /**
     * @param trainLists             training lists used (with a safe and an unsafe candidate after dropping unlabelled ones)
     * @param trainListsSkipped      training lists without both a safe and an unsafe candidate
     * @param unlabelledCandidatesDropped candidates with no safe/unsafe label removed from training lists
     * @param valLists               validation lists evaluated
     * @param valListsWithoutBoth    of those, lists that cannot count towards accuracy or loss
     */
    public record DataCounts(int trainLists, int trainListsSkipped, int unlabelledCandidatesDropped,
                             int valLists, int valListsWithoutBoth) {
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("train_lists", trainLists);
            m.put("train_lists_skipped", trainListsSkipped);
            m.put("unlabelled_candidates_dropped", unlabelledCandidatesDropped);
            m.put("validation_lists", valLists);
            m.put("validation_lists_without_safe_and_unsafe", valListsWithoutBoth);
            return m;
        }
    }
}
