package dev.srr.eval;

import dev.srr.rank.ProgressListener;
import dev.srr.rank.RankerTrainer;
import dev.srr.rank.RankingMetrics;
import dev.srr.rank.TrainOptions;
import dev.srr.rank.TrainResult;
import dev.srr.features.FeatureCache;
import dev.srr.features.FeatureSet;
import dev.srr.data.Labeler;
import dev.srr.data.ListSplit;
import dev.srr.data.SafetyList;
import dev.srr.SrrException;
import dev.srr.engine.Pooling;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One ranker per cached layer and pooling, trained on the training lists and scored on the test lists: which
 * depth of the model carries the safety signal. Layers and poolings are those both caches hold.
 *
 * @param rows      one per layer and pooling, by layer then pooling
 * @param baselines random, first candidate and keyword rule on the test lists (they do not depend on the layer)
 */
public record LayerSweep(List<Row> rows, Map<String, RankingMetrics> baselines) {

    public record Row(int layer, Pooling pooling, RankingMetrics test, int bestEpoch) {
    }

    /** Reports each finished row (for progress). */
    public interface Listener {
        void onRow(Row row, int done, int total);
    }

    /** Where the training and test features come from: each a data file's lists and the cache holding them. */
    public record Side(List<SafetyList> lists, Path dataFile, FeatureCache cache) {
        FeatureSet at(int layer, Pooling pooling, Labeler labeler) {
            return FeatureSet.join(lists, dataFile, cache, layer, pooling, labeler);
        }
    }

    /**
     * @param poolings the poolings to sweep, or null for every pooling both caches hold
     * @param shuffle  seed to shuffle the test lists' candidate order, or null for file order
     */
    public static LayerSweep run(Side train, Side test, List<Pooling> poolings, Labeler labeler, TrainOptions options,
                                 double validationShare, ListSplit.SharedPrompts shared, Long shuffle, Listener listener) {
        int[] layers = Arrays.stream(test.cache().header().layers()).filter(train.cache()::hasLayer).sorted().toArray();
        if (layers.length == 0) {
            throw new SrrException(test.cache().path() + " and " + train.cache().path() + " hold no layer in common");
        }
        List<Pooling> pools = new ArrayList<>();
        for (Pooling p : test.cache().header().poolings()) {
            if (train.cache().header().poolings().contains(p) && (poolings == null || poolings.contains(p))) pools.add(p);
        }
        if (pools.isEmpty()) throw new SrrException(test.cache().path() + ": none of the requested poolings is cached in both caches");
        int d = test.cache().header().hiddenSize();
        if (train.cache().header().hiddenSize() != d) {
            throw new SrrException(train.cache().path() + ": hidden size " + train.cache().header().hiddenSize() + " differs from "
                    + test.cache().path() + " (" + d + ")");
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
                if (baselines == null) baselines = Evaluation.compare(t.lists(), labeler, null);
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

    /** The row for a layer and pooling, or null. */
    public Row row(int layer, Pooling pooling) {
        for (Row r : rows) if (r.layer == layer && r.pooling == pooling) return r;
        return null;
    }
}
