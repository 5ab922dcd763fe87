package dev.srr.eval;

import dev.srr.rank.ProgressListener;
import dev.srr.rank.RankerTrainer;
import dev.srr.rank.RankingMetrics;
import dev.srr.rank.TrainOptions;
import dev.srr.rank.TrainResult;
import dev.srr.features.FeatureSource;
import dev.srr.features.FeatureSet;
import dev.srr.features.ListSource;
import dev.srr.data.Labeler;
import dev.srr.data.ListSplit;
import dev.srr.SrrException;
import dev.srr.engine.Pooling;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One ranker per cached layer and pooling, trained on the training lists and scored on the test lists: which
 * depth of the model carries the safety signal. Layers and poolings are those both sides hold.
 *
 * @param rows      one per layer and pooling, by layer then pooling
 * @param baselines random, first candidate, keyword rule and the text-only baseline ({@link TextBaseline}, trained on
 *                  the training lists) on the test lists: they do not depend on the layer
 */
public record LayerSweep(List<Row> rows, Map<String, RankingMetrics> baselines) {

    public record Row(int layer, Pooling pooling, RankingMetrics test, int bestEpoch) {
    }

    /** Reports each finished row (for progress). */
    public interface Listener {
        void onRow(Row row, int done, int total);
    }

    /**
     * @param poolings the poolings to sweep, or null for every pooling both caches hold
     * @param shuffle  seed to shuffle the test lists' candidate order, or null for file order
     */
    public static LayerSweep run(ListSource train, ListSource test, List<Pooling> poolings, Labeler labeler, TrainOptions options,
                                 double validationShare, ListSplit.SharedPrompts shared, Long shuffle, Listener listener) {
        FeatureSource trainFeatures = train.features();
        FeatureSource testFeatures = test.features();
        int[] layers = Arrays.stream(testFeatures.layers()).filter(trainFeatures::hasLayer).sorted().toArray();
        if (layers.length == 0) {
            throw new SrrException(testFeatures.path() + " and " + trainFeatures.path() + " hold no layer in common");
        }
        List<Pooling> pools = new ArrayList<>();
        for (Pooling p : testFeatures.poolings()) {
            if (trainFeatures.poolings().contains(p) && (poolings == null || poolings.contains(p))) pools.add(p);
        }
        if (pools.isEmpty()) throw new SrrException(testFeatures.path() + ": none of the requested poolings is cached in both caches");
        int d = testFeatures.hiddenSize();
        if (trainFeatures.hiddenSize() != d) {
            throw new SrrException(trainFeatures.path() + ": hidden size " + trainFeatures.hiddenSize() + " differs from "
                    + testFeatures.path() + " (" + d + ")");
        }
        TrainOptions opts = options.withConfig(options.config().withFeatureDim(d));
        List<Row> rows = new ArrayList<>();
        Map<String, RankingMetrics> baselines = null;
        int total = layers.length * pools.size();
        for (int layer : layers) {
            for (Pooling pooling : pools) {
                TrainResult r = TrainingRun.train(train.at(layer, pooling, labeler), opts, validationShare, shared, ProgressListener.NONE);
                FeatureSet t = test.at(layer, pooling, labeler);
                if (shuffle != null) t = t.shuffled(shuffle);
                RankingMetrics m = RankerTrainer.evaluate(r.ranker(), t.features());
                if (baselines == null) {
                    baselines = new LinkedHashMap<>(Evaluation.compare(t.lists(), labeler, null));
                    TextBaseline text = TextBaseline.train(train.lists(), labeler);
                    baselines.put(TextBaseline.NAME, RankingMetrics.compute(text.scoreAll(t.lists()),
                            t.lists().stream().map(labeler::labels).toList()));
                }
                Row row = new Row(layer, pooling, m, r.bestEpoch());
                rows.add(row);
                listener.onRow(row, rows.size(), total);
            }
        }
        return new LayerSweep(List.copyOf(rows), baselines);
    }

    public List<Pooling> poolings() {
        return rows.stream().map(Row::pooling).distinct().toList();
    }

    public int[] layers() {
        return rows.stream().mapToInt(Row::layer).distinct().toArray();
    }

    /** Rows (layer, pooling, best epoch, test metrics) and the baselines, JSON-ready. */
    public Map<String, Object> toJson() {
        List<Object> out = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("layer", r.layer());
            row.put("pooling", r.pooling().label());
            row.put("best_epoch", r.bestEpoch());
            row.put("metrics", r.test().toJson());
            out.add(row);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rows", out);
        m.put("baselines", MetricsTable.toJson(baselines));
        return m;
    }

    /**
     * The row with the highest test accuracy of this sweep; ties go to the higher pairwise AUC, then to the lower
     * layer, then to the pooling listed first. Used on a validation split to choose a layer and pooling (never on
     * the test split).
     *
     * @throws SrrException when no row has a defined accuracy
     */
    public Row best() {
        Row best = null;
        for (Row r : rows) {
            if (Double.isNaN(r.test().accuracy())) continue;
            if (best == null || r.test().accuracy() > best.test().accuracy()
                    || (r.test().accuracy() == best.test().accuracy() && r.test().pairwiseAuc() > best.test().pairwiseAuc())) {
                best = r;
            }
        }
        if (best == null) throw new SrrException("sweep: no layer has a defined accuracy (no evaluable list in --data)");
        return best;
    }

    /** The row for a layer and pooling, or null. */
    public Row row(int layer, Pooling pooling) {
        for (Row r : rows) if (r.layer == layer && r.pooling == pooling) return r;
        return null;
    }
}
