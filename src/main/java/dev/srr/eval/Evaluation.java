package dev.srr.eval;

import dev.srr.rank.RankingMetrics;
import dev.srr.data.KeywordRule;
import dev.srr.data.Labeler;
import dev.srr.data.SafetyList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ranker's metrics next to the baselines, computed on the same lists and labels: random choice (exact
 * expectation), the first candidate, and the keyword rule used as a ranker.
 */
public final class Evaluation {
    public static final String SRR = "srr";
    public static final String RANDOM = "random (expected)";
    public static final String FIRST = "first candidate";
    public static final String KEYWORD = "keyword rule";

    private Evaluation() {
    }

    /**
     * @param labels      per list, per candidate: TRUE safe, FALSE unsafe, null unknown
     * @param texts       per list the candidate texts (for the keyword baseline), or null to leave it out
     * @param modelScores per list the ranker's scores, or null for baselines only
     * @return metrics by method name, in a fixed order
     */
    public static Map<String, RankingMetrics> compare(List<Boolean[]> labels, List<String[]> texts,
                                                      List<double[]> modelScores, KeywordRule rule) {
        Map<String, RankingMetrics> out = new LinkedHashMap<>();
        if (modelScores != null) out.put(SRR, RankingMetrics.compute(modelScores, labels));
        out.put(RANDOM, RankingMetrics.expectedRandom(labels));
        List<double[]> first = new ArrayList<>();
        for (Boolean[] y : labels) first.add(firstCandidateScores(y.length));
        out.put(FIRST, RankingMetrics.compute(first, labels));
        if (texts != null && rule != null) {
            List<double[]> kw = new ArrayList<>();
            for (String[] t : texts) kw.add(rule.rank(t));
            out.put(KEYWORD, RankingMetrics.compute(kw, labels));
        }
        return out;
    }

    /** Convenience: labels from {@code labeler}, texts from the lists. */
    public static Map<String, RankingMetrics> compare(List<SafetyList> lists, Labeler labeler, List<double[]> modelScores) {
        List<Boolean[]> labels = lists.stream().map(labeler::labels).toList();
        List<String[]> texts = lists.stream().map(SafetyList::texts).toList();
        return compare(labels, texts, modelScores, KeywordRule.standard());
    }

    /** Scores that rank candidates in list order. */
    static double[] firstCandidateScores(int m) {
        double[] s = new double[m];
        for (int i = 0; i < m; i++) s[i] = -i;
        return s;
    }
}
