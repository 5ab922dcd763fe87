package dev.srr.eval;

import dev.srr.rank.ProgressListener;
import dev.srr.rank.RankerTrainer;
import dev.srr.rank.RankingMetrics;
import dev.srr.rank.TrainOptions;
import dev.srr.rank.TrainResult;
import dev.srr.features.FeatureSet;
import dev.srr.data.ListSplit;
import dev.srr.data.SafetyList;
import dev.srr.SrrException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Cross-dataset transfer: for each source, a ranker trained on part of that source's lists and tested on every
 * source. Row i, column j is the test metric on source j of the ranker trained on source i. On the diagonal the
 * test lists are the source's own held-out split; off the diagonal they are all of the other source's lists,
 * except those about a training prompt (equal normalised prompt, or paired in shared_prompts.json), so that
 * recurring prompts (e.g. JailbreakBench goals that are HarmBench behaviours) do not leak.
 *
 * @param sources     in sorted order
 * @param cells       {@code cells[i][j]}: trained on source i, tested on source j
 * @param excluded    {@code excluded[i][j]}: lists of source j left out because they share a prompt with training lists
 * @param trainLists  lists each source's ranker was trained on (before its validation split)
 */
public record TransferMatrix(List<String> sources, RankingMetrics[][] cells, int[][] excluded, int[] trainLists) {

    public static final String NO_SOURCE = "(no source)";

    public interface Listener {
        void onSource(String source, int done, int total);
    }

    /**
     * @param data      every list with its features (one layer and pooling)
     * @param testShare share of each source held out for the diagonal
     */
    public static TransferMatrix run(FeatureSet data, double testShare, TrainOptions options, double validationShare,
                                     ListSplit.SharedPrompts shared, Long shuffle, Listener listener) {
        Map<String, List<SafetyList>> bySource = new TreeMap<>();
        for (SafetyList l : data.lists()) bySource.computeIfAbsent(source(l), k -> new ArrayList<>()).add(l);
        if (bySource.size() < 2) {
            throw new SrrException("--transfer needs lists from at least two sources (field 'source'); found " + bySource.keySet());
        }
        List<String> sources = List.copyOf(bySource.keySet());
        int n = sources.size();
        RankingMetrics[][] cells = new RankingMetrics[n][n];
        int[][] excluded = new int[n][n];
        int[] trainLists = new int[n];
        for (int i = 0; i < n; i++) {
            ListSplit split = ListSplit.split(bySource.get(sources.get(i)), 0, testShare, options.seed(), shared);
            trainLists[i] = split.train().size();
            TrainResult r;
            try {
                r = TrainingRun.train(data.select(split.train()), options, validationShare, shared, ProgressListener.NONE);
            } catch (SrrException e) {
                throw new SrrException("source " + sources.get(i) + ": " + e.getMessage());
            }
            Predicate<SafetyList> sharesTrainingPrompt = ListSplit.sharesPromptWith(split.train(), shared);
            for (int j = 0; j < n; j++) {
                List<SafetyList> test;
                if (i == j) {
                    test = split.test();
                } else {
                    test = new ArrayList<>();
                    for (SafetyList l : bySource.get(sources.get(j))) {
                        if (sharesTrainingPrompt.test(l)) {
                            excluded[i][j]++;
                        } else {
                            test.add(l);
                        }
                    }
                }
                FeatureSet t = data.select(test);
                if (shuffle != null) t = t.shuffled(shuffle);
                cells[i][j] = t.lists().isEmpty() ? null : RankerTrainer.evaluate(r.ranker(), t.features());
            }
            listener.onSource(sources.get(i), i + 1, n);
        }
        return new TransferMatrix(sources, cells, excluded, trainLists);
    }

    static String source(SafetyList l) {
        return l.source() == null ? NO_SOURCE : l.source();
    }

    /** Accuracy matrix as text: rows train source, columns test source, diagonal marked with brackets. */
    public String render() {
        int w = 8;
        for (String s : sources) w = Math.max(w, s.length());
        StringBuilder sb = new StringBuilder();
        sb.append(pad("train \\ test", w));
        for (String s : sources) sb.append("  ").append(pad(s, w));
        sb.append('\n');
        for (int i = 0; i < sources.size(); i++) {
            sb.append(pad(sources.get(i), w));
            for (int j = 0; j < sources.size(); j++) {
                RankingMetrics m = cells[i][j];
                String v = m == null || Double.isNaN(m.accuracy()) ? "-" : String.format(java.util.Locale.ROOT, "%.3f", m.accuracy());
                if (i == j) v = "[" + v + "]";
                sb.append("  ").append(" ".repeat(Math.max(0, w - v.length()))).append(v);
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Per training source, how many lists it trained on and which test lists were left out as sharing a prompt. */
    public List<String> trainingLines() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            StringBuilder left = new StringBuilder();
            for (int j = 0; j < sources.size(); j++) {
                if (excluded[i][j] > 0) left.append(", ").append(excluded[i][j]).append(" of ").append(sources.get(j));
            }
            lines.add(sources.get(i) + ": trained on " + trainLists[i] + " lists"
                    + (left.isEmpty() ? "" : "; left out as sharing a training prompt" + left));
        }
        return lines;
    }

    private static String pad(String s, int w) {
        return s + " ".repeat(Math.max(0, w - s.length()));
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sources", sources);
        List<List<Object>> acc = new ArrayList<>();
        List<List<Object>> full = new ArrayList<>();
        for (RankingMetrics[] row : cells) {
            List<Object> a = new ArrayList<>();
            List<Object> f = new ArrayList<>();
            for (RankingMetrics c : row) {
                a.add(c == null || Double.isNaN(c.accuracy()) ? null : c.accuracy());
                f.add(c == null ? null : c.toJson());
            }
            acc.add(a);
            full.add(f);
        }
        m.put("accuracy", acc);
        m.put("metrics", full);
        m.put("excluded_shared_prompt_lists", excluded);
        m.put("train_lists", trainLists);
        return m;
    }
}
