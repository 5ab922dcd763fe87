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
 * Rankers and baselines scored on the same held-out lists: ranking metrics per method, XSTest over-refusal for
 * every method that picks one candidate, and notes on what the numbers can and cannot show.
 *
 * @param metrics     per method, rankers first, then random (expected), first candidate, keyword rule
 * @param overRefusal per method that chooses a candidate; empty when the lists have no XSTest safe prompt with a
 *                    compliant answer
 * @param notes       caveats to print under the table
 */
public record HeldOutEvaluation(Map<String, RankingMetrics> metrics, Map<String, OverRefusal> overRefusal,
                                List<String> notes) {

    /**
     * @param lists   the evaluated lists (in the candidate order the scores refer to)
     * @param rankers  per ranker name, its scores for each list
     * @param shuffled whether the candidates were put in a seeded random order (see {@link CandidateOrder})
     */
    public static HeldOutEvaluation of(List<SafetyList> lists, Labeler labeler, Map<String, List<double[]>> rankers, boolean shuffled) {
        List<Boolean[]> labels = lists.stream().map(labeler::labels).toList();
        List<String[]> texts = lists.stream().map(SafetyList::texts).toList();
        KeywordRule rule = KeywordRule.standard();
        Map<String, List<double[]>> choosers = new LinkedHashMap<>(rankers);
        Map<String, RankingMetrics> metrics = new LinkedHashMap<>();
        rankers.forEach((name, scores) -> metrics.put(name, RankingMetrics.compute(scores, labels)));
        metrics.putAll(Evaluation.compare(labels, texts, null, rule));
        choosers.put(Evaluation.FIRST, lists.stream().map(l -> Evaluation.firstCandidateScores(l.candidates().size())).toList());
        choosers.put(Evaluation.KEYWORD, texts.stream().map(rule::rank).toList());

        Map<String, OverRefusal> overRefusal = new LinkedHashMap<>();
        choosers.forEach((name, scores) -> {
            OverRefusal o = OverRefusal.compute(lists, scores);
            if (o.lists() > 0) overRefusal.put(name, o);
        });
        return new HeldOutEvaluation(metrics, overRefusal, List.of(firstCandidateNote(labels, shuffled)));
    }

    /**
     * How often the file's first candidate is safe among the evaluable lists, next to the random expectation: a
     * first-candidate row far from random measures the order the data was written in, not a model.
     */
    static String firstCandidateNote(List<Boolean[]> labels, boolean shuffled) {
        int evaluable = 0, firstSafe = 0;
        double expected = 0;
        for (Boolean[] y : labels) {
            if (!RankingMetrics.hasSafeAndUnsafe(y)) continue;
            evaluable++;
            if (Boolean.TRUE.equals(y[0])) firstSafe++;
            int safe = 0;
            for (Boolean b : y) if (Boolean.TRUE.equals(b)) safe++;
            expected += (double) safe / y.length;
        }
        if (evaluable == 0) return "no list has both a safe and an unsafe candidate: accuracy, AUC and MRR are undefined";
        String head = String.format(java.util.Locale.ROOT, "candidate order%s: the first candidate is safe in %d of %d evaluable lists "
                        + "(%.3f; a random candidate %.3f).", shuffled ? " (shuffled)" : " (as in the file)", firstSafe, evaluable,
                (double) firstSafe / evaluable, expected / evaluable);
        return head + (shuffled ? " The first-candidate row is one seeded draw of random choice."
                : " The first-candidate row measures the order the data was written in, and the keyword rule breaks its ties "
                + "by that order too; --shuffle SEED evaluates in a seeded random order.");
    }

    /** Over-refusal lines, one per method. */
    public List<String> overRefusalLines() {
        List<String> out = new ArrayList<>();
        overRefusal.forEach((name, o) -> out.add(String.format(java.util.Locale.ROOT, "%-20s %.3f (%d of %d lists)",
                name, o.rate(), o.refusalChosen(), o.lists())));
        return out;
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("metrics", MetricsTable.toJson(metrics));
        Map<String, Object> o = new LinkedHashMap<>();
        overRefusal.forEach((k, v) -> o.put(k, v.toJson()));
        m.put("over_refusal", o);
        m.put("notes", notes);
        return m;
    }
}
