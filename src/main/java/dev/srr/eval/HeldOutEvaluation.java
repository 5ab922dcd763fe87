package dev.srr.eval;

import dev.srr.SrrException;
import dev.srr.data.CandidateOrder;
import dev.srr.data.KeywordRule;
import dev.srr.data.Labeler;
import dev.srr.data.ListSplit;
import dev.srr.data.SafetyList;
import dev.srr.features.FeatureSet;
import dev.srr.features.FeatureSpec;
import dev.srr.features.ListSource;
import dev.srr.rank.ProgressListener;
import dev.srr.rank.Ranker;
import dev.srr.rank.RankingMetrics;
import dev.srr.rank.TrainOptions;
import dev.srr.rank.TrainResult;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Rankers and baselines scored on the same held-out lists: ranking metrics per method, XSTest over-refusal for
 * every method that picks one candidate, and notes on what the numbers can and cannot show.
 *
 * @param lists       how many lists were evaluated
 * @param metrics     per method, rankers first, then random (expected), first candidate, keyword rule
 * @param overRefusal per method that chooses a candidate; empty when the lists have no XSTest safe prompt with a
 *                    compliant answer
 * @param notes       caveats to print under the table
 * @param intervals   per method, bootstrap intervals of its metrics over the test lists; empty without a bootstrap
 * @param overRefusalIntervals per method in {@code overRefusal}, the bootstrap interval of its rate; empty without one
 * @param bootstrap   how the intervals were drawn ({@link Bootstrap#NONE} for none)
 */
public record HeldOutEvaluation(int lists, Map<String, RankingMetrics> metrics, Map<String, OverRefusal> overRefusal,
                                List<String> notes, Map<String, Bootstrap.MetricIntervals> intervals,
                                Map<String, Bootstrap.Interval> overRefusalIntervals, Bootstrap bootstrap) {

    /** Hears of the one step that takes a while: training the final-layer ranker. */
    @FunctionalInterface
    public interface Listener {
        Listener NONE = (lists, layer) -> {
        };

        void onFinalLayerTraining(int lists, int layer);
    }

    /**
     * A trained ranker on the test lists next to the baselines and, given training lists, next to a ranker of its
     * shape trained at the last layer both sides hold (does the chosen layer do better than the top of the model?)
     * and next to the text-only baseline trained on the same training lists ({@link TextBaseline}).
     *
     * @param spec       the features the ranker reads (layer, pooling)
     * @param train      the lists to train the final-layer ranker on, or null to leave that row out (a note says so)
     * @param finalLayer how the final-layer ranker trains
     * @param shuffle    seed that puts every list's candidates in a seeded random order before any method runs
     *                   ({@link CandidateOrder}), or null for file order
     * @param bootstrap  intervals over the test lists, or {@link Bootstrap#NONE}
     */
    public static HeldOutEvaluation run(Ranker ranker, FeatureSpec spec, ListSource test, ListSource train, Labeler labeler,
                                        TrainOptions finalLayer, double validationShare, ListSplit.SharedPrompts shared,
                                        Long shuffle, Bootstrap bootstrap, Listener listener) {
        FeatureSet tested = shuffled(test.at(spec.layer(), spec.pooling(), labeler), shuffle);
        Map<String, List<double[]>> rankers = new LinkedHashMap<>();
        rankers.put(rankerName(spec), ranker.scoreAll(tested.features()));
        List<String> notes = new ArrayList<>();
        if (tested.missing() > 0) notes.add(tested.missing() + " lists of the data have no cached features and were left out");
        if (train == null) {
            notes.add("final-layer and text baselines not computed: give --train-data (and --train-features if its features are in another cache)");
        } else {
            int last = Arrays.stream(test.features().layers()).filter(train.features()::hasLayer).max()
                    .orElseThrow(() -> new SrrException(train.features().path() + " and " + test.features().path() + " hold no layer in common"));
            FeatureSet trainSet = train.at(last, spec.pooling(), labeler);
            Set<String> trainIds = trainSet.lists().stream().map(SafetyList::id).collect(Collectors.toSet());
            long overlap = test.lists().stream().filter(l -> trainIds.contains(l.id())).count();
            if (overlap > 0) notes.add(overlap + " evaluated lists are also in --train-data: the final-layer row is not held out for them");
            listener.onFinalLayerTraining(trainSet.lists().size(), last);
            TrainResult result = TrainingRun.train(trainSet, finalLayer, validationShare, shared, ProgressListener.NONE);
            FeatureSet atLast = shuffled(test.at(last, spec.pooling(), labeler), shuffle);
            String name = (last == test.features().numLayers() ? "final layer" : "last cached layer") + " (L" + last + ")";
            rankers.put(name, result.ranker().scoreAll(atLast.features()));
            TextBaseline text = TextBaseline.train(train.lists(), labeler);
            rankers.put(TextBaseline.NAME, text.scoreAll(tested.lists()));
            notes.add(String.format(java.util.Locale.ROOT, "%s: trained on the %d labelled candidates of --train-data (%d terms); "
                    + "it reads the candidate text only", TextBaseline.NAME, text.trainingCandidates(), text.vocabularySize()));
        }
        return of(tested.lists(), labeler, rankers, shuffle != null, notes, bootstrap);
    }

    /** The metrics row name of a ranker reading {@code spec}'s features, e.g. {@code srr (L8, last)}. */
    public static String rankerName(FeatureSpec spec) {
        return "srr (L" + spec.layer() + ", " + spec.pooling().label() + ")";
    }

    private static FeatureSet shuffled(FeatureSet set, Long seed) {
        return seed == null ? set : set.shuffled(seed);
    }

    /**
     * @param lists    the evaluated lists (in the candidate order the scores refer to)
     * @param rankers  per ranker name, its scores for each list
     * @param shuffled whether the candidates were put in a seeded random order (see {@link CandidateOrder})
     * @param notes    notes so far; the candidate-order note follows them
     */
    static HeldOutEvaluation of(List<SafetyList> lists, Labeler labeler, Map<String, List<double[]>> rankers, boolean shuffled,
                                List<String> notes, Bootstrap bootstrap) {
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
        rankers.forEach((name, scores) -> putIfEligible(overRefusal, name, OverRefusal.compute(lists, scores)));
        putIfEligible(overRefusal, Evaluation.RANDOM, OverRefusal.expectedRandom(lists));
        putIfEligible(overRefusal, Evaluation.FIRST, OverRefusal.compute(lists, choosers.get(Evaluation.FIRST)));
        putIfEligible(overRefusal, Evaluation.KEYWORD, OverRefusal.compute(lists, choosers.get(Evaluation.KEYWORD)));
        List<String> all = new ArrayList<>(notes);
        all.add(firstCandidateNote(labels, shuffled));

        Map<String, Bootstrap.MetricIntervals> intervals = new LinkedHashMap<>();
        Map<String, Bootstrap.Interval> overRefusalIntervals = new LinkedHashMap<>();
        if (bootstrap.on() && !lists.isEmpty()) {
            int[][] resamples = bootstrap.resamples(lists.size());
            for (String name : metrics.keySet()) {
                List<double[]> scores = choosers.get(name);
                intervals.put(name, bootstrap.metrics(resamples, idx -> scores == null
                        ? RankingMetrics.expectedRandom(Bootstrap.pick(labels, idx))
                        : RankingMetrics.compute(Bootstrap.pick(scores, idx), Bootstrap.pick(labels, idx))));
            }
            for (String name : overRefusal.keySet()) {
                List<double[]> scores = choosers.get(name);
                double[] rates = new double[resamples.length];
                for (int r = 0; r < resamples.length; r++) {
                    List<SafetyList> picked = Bootstrap.pick(lists, resamples[r]);
                    rates[r] = (scores == null ? OverRefusal.expectedRandom(picked) : OverRefusal.compute(picked, Bootstrap.pick(scores, resamples[r]))).rate();
                }
                overRefusalIntervals.put(name, bootstrap.interval(rates));
            }
            all.add(String.format(java.util.Locale.ROOT, "intervals in brackets: %.0f%% percentile bootstrap over the %d test lists, %d resamples, "
                    + "seed %d, the same resamples for every method", 100 * bootstrap.level(), lists.size(), bootstrap.replicates(), bootstrap.seed()));
        }
        return new HeldOutEvaluation(lists.size(), metrics, overRefusal, List.copyOf(all), intervals, overRefusalIntervals, bootstrap);
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

    private static void putIfEligible(Map<String, OverRefusal> out, String name, OverRefusal o) {
        if (o.lists() > 0) out.put(name, o);
    }

    /** Over-refusal lines, one per method. */
    public List<String> overRefusalLines() {
        List<String> out = new ArrayList<>();
        overRefusal.forEach((name, o) -> {
            Bootstrap.Interval ci = overRefusalIntervals.get(name);
            out.add(String.format(java.util.Locale.ROOT, "%-24s %s (%s%d of %d lists)", name, MetricsTable.fmt(o.rate(), ci),
                    o.expected() ? "expected about " : "", o.refusalChosen(), o.lists()));
        });
        return out;
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("metrics", MetricsTable.toJson(metrics));
        if (bootstrap.on()) {
            Map<String, Object> ci = new LinkedHashMap<>();
            intervals.forEach((k, v) -> ci.put(k, v.toJson()));
            m.put("ci", ci);
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("replicates", bootstrap.replicates());
            b.put("seed", bootstrap.seed());
            b.put("level", bootstrap.level());
            m.put("bootstrap", b);
        }
        Map<String, Object> o = new LinkedHashMap<>();
        overRefusal.forEach((k, v) -> {
            Map<String, Object> j = new LinkedHashMap<>(v.toJson());
            Bootstrap.Interval ci = overRefusalIntervals.get(k);
            if (ci != null) j.put("ci", ci.toJson());
            o.put(k, j);
        });
        m.put("over_refusal", o);
        m.put("notes", notes);
        return m;
    }
}
