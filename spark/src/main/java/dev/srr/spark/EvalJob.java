package dev.srr.spark;

import dev.srr.data.KeywordRule;
import dev.srr.data.Labeler;
import dev.srr.data.SafetyList;
import dev.srr.eval.Evaluation;
import dev.srr.eval.HeldOutEvaluation;
import dev.srr.eval.MetricsTable;
import dev.srr.features.FeatureSpec;
import dev.srr.io.Json;
import dev.srr.rank.RankerCheckpoint;
import dev.srr.rank.RankingMetrics;
import org.apache.spark.api.java.JavaSparkContext;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code eval}: a ranker's metrics over the whole input next to the baselines, as {@code srr eval --ranker R MODEL
 * --data D --json} reports them (ranking accuracy, unsafe-selection rate, pairwise AUC, MRR; rows: the ranker,
 * random (expected), first candidate, keyword rule), with the given labels.
 *
 * <p>The expensive part, features and ranker scores, runs on the executors. The metrics are then computed exactly:
 * the driver gathers each list's labels and scores (about 17 bytes per candidate), puts them back in input order and
 * hands them to the core's {@link RankingMetrics}, so they are the single-machine numbers to the last bit, never an
 * average of per-partition averages.
 */
public final class EvalJob {
    private EvalJob() {
    }

    /** The metrics and how many lists they cover. */
    public record Result(int lists, Map<String, RankingMetrics> metrics, JobReport report) {

        /** JSON as {@code srr eval --json} writes these fields. */
        public Map<String, Object> toJson(String ranker, FeatureSpec spec, String input) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mode", "eval");
            m.put("ranker", ranker);
            m.put("feature_spec", spec.toJson());
            m.put("data", List.of(input));
            m.put("lists", lists);
            m.put("metrics", MetricsTable.toJson(metrics));
            return m;
        }
    }

    /**
     * @throws dev.srr.SrrException for a missing input, an unreadable ranker, or (from a task) a malformed list or a
     *                              model that does not fit the ranker
     */
    public static Result run(JavaSparkContext sc, JobSettings settings, String input, int minPartitions, PartitionHook hook) {
        long start = System.nanoTime();
        Path rankerDir = ExecutorResources.local(settings.ranker(), "ranker");
        FeatureSpec spec = FeatureSpec.of(ExecutorResources.ranker(settings.ranker()), rankerDir);
        JobCounters counters = new JobCounters(sc.sc());
        List<ListOutcome> outcomes = new ArrayList<>(ListInput.read(sc, input, minPartitions).mapPartitions(lines -> {
            ListScorer[] scorer = {null};
            KeywordRule rule = KeywordRule.standard();
            return new Batched<IndexedLine, ListOutcome>(lines, settings.batch(), batch -> {
                List<SafetyList> lists = new ArrayList<>();
                List<Long> index = new ArrayList<>();
                for (IndexedLine line : batch) {
                    SafetyList l = line.parse(input);
                    if (l.candidates().isEmpty()) continue;
                    lists.add(l);
                    index.add(line.index);
                }
                if (lists.isEmpty()) return List.of();
                if (scorer[0] == null) scorer[0] = new ListScorer(settings, counters, hook);
                List<double[]> scores = scorer[0].score(lists);
                List<ListOutcome> out = new ArrayList<>(lists.size());
                for (int i = 0; i < lists.size(); i++) {
                    SafetyList l = lists.get(i);
                    out.add(new ListOutcome(index.get(i), Labeler.GIVEN.labels(l), scores.get(i), rule.rank(l.texts())));
                }
                return out;
            });
        }).collect());
        outcomes.sort(Comparator.comparingLong(o -> o.index));
        List<Boolean[]> labels = outcomes.stream().map(ListOutcome::labels).toList();
        Map<String, RankingMetrics> metrics = new LinkedHashMap<>();
        // the row names and order of srr eval (HeldOutEvaluation): the ranker, then the baselines
        metrics.put(HeldOutEvaluation.rankerName(spec), RankingMetrics.compute(outcomes.stream().map(o -> o.ranker).toList(), labels));
        metrics.putAll(Evaluation.compare(labels, null, null, null));
        metrics.put(Evaluation.KEYWORD, RankingMetrics.compute(outcomes.stream().map(o -> o.keyword).toList(), labels));
        return new Result(outcomes.size(), metrics, JobReport.of(counters, start));
    }

    /** The result as one line of JSON. */
    public static String json(Result r, String ranker, FeatureSpec spec, String input) {
        return Json.write(r.toJson(ranker, spec, input));
    }
}
