package dev.srr.cli;

import dev.srr.engine.Pooling;
import dev.srr.io.Json;
import dev.srr.features.FeatureCache;
import dev.srr.features.FeatureSet;
import dev.srr.data.Labeler;
import dev.srr.data.ListDataset;
import dev.srr.data.ListSplit;
import dev.srr.rank.ProgressListener;
import dev.srr.rank.RankerCheckpoint;
import dev.srr.rank.RankerConfig;
import dev.srr.rank.TrainOptions;
import dev.srr.rank.TrainResult;
import dev.srr.eval.TrainingRun;
import dev.srr.rank.EpochReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train the SRR ranker on cached features (srr features) and the lists' labels.",
                "Listwise KL loss against a uniform target over safe candidates, AdamW, a seeded validation split with "
                        + "early stopping on validation ranking accuracy. Lists without both a safe and an unsafe "
                        + "candidate are skipped and counted."})
public final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--features", required = true, description = "Feature cache from srr features.")
    Path features;

    @Option(names = "--data", required = true, description = "Lists JSONL file (the one the features were made from).")
    Path data;

    @Option(names = "--layer", description = "Cached layer to train on (default: 25%% depth, or the only cached layer).")
    Integer layer;

    @Option(names = "--pool", defaultValue = "last", description = "Candidate pooling: last or mean (default: ${DEFAULT-VALUE}).")
    String pool;

    @Option(names = "--label", defaultValue = "given", description = "given (the data's labels) or keyword (the paper's rule) (default: ${DEFAULT-VALUE}).")
    String label;

    @Option(names = "--tau", defaultValue = "0.1", description = "Temperature of the cosine scores (default: ${DEFAULT-VALUE}).")
    double tau;

    @Option(names = "--lr", defaultValue = "1e-3", description = "AdamW learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--batch", defaultValue = "16", description = "Lists per mini-batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Mixin
    RankerArgs training;

    @Option(names = "--out", required = true, description = "Ranker folder (written atomically).")
    Path out;

    @Mixin
    JsonOption json;

    @Mixin
    QuietOption quiet;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Pooling pooling = Pooling.parse(pool);
        try (FeatureCache cache = FeatureCache.open(features)) {
            int l = cache.defaultLayer(layer);
            FeatureSet set = cache.join(ListDataset.read(data).lists(), data, l, pooling, Labeler.parse(label));
            RankerConfig config = training.shape(cache.hiddenSize()).withTau(tau);
            TrainOptions options = training.options(config).withLearningRate(lr).withBatchSize(batch);
            ListSplit.SharedPrompts shared = training.shared();
            if (!quiet.on) {
                err.printf("train: %d lists at layer %d (%s pooling, d=%d)%s%n", set.lists().size(), l, pooling.label(),
                        cache.hiddenSize(), set.missing() > 0 ? ", " + set.missing() + " lists of the data have no cached features" : "");
            }
            TrainResult result = TrainingRun.train(set, options, training.val, shared, progress(err));
            RankerCheckpoint.of(result, cache.spec(l, pooling).toJson()).save(out);
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("ranker", out.toString());
            summary.put("layer", l);
            summary.put("pooling", pooling.label());
            summary.put("parameters", result.ranker().parameterCount());
            summary.put("best_epoch", result.bestEpoch());
            summary.put("epochs_run", result.history().size());
            summary.put("validation", result.validation() == null ? null : result.validation().toJson());
            summary.put("data", result.counts().toJson());
            summary.put("seconds", result.seconds());
            if (json.on) {
                spec.commandLine().getOut().println(Json.write(summary));
            } else {
                var v = result.validation();
                spec.commandLine().getOut().printf("trained %s: %,d parameters, best epoch %d of %d, validation accuracy %s, "
                                + "%d training lists (%d skipped without a safe and an unsafe candidate), %.1f s%n",
                        out, result.ranker().parameterCount(), result.bestEpoch(), result.history().size(),
                        v == null || Double.isNaN(v.accuracy()) ? "n/a" : String.format("%.3f", v.accuracy()),
                        result.counts().trainLists(), result.counts().trainListsSkipped(), result.seconds());
            }
        }
        return 0;
    }

    private ProgressListener progress(PrintWriter err) {
        if (quiet.on) return ProgressListener.NONE;
        return new ProgressListener() {
            @Override
            public void onEpoch(EpochReport r) {
                err.printf("epoch %3d  train loss %.4f  val loss %.4f  val acc %.3f  %.1fs%s%n", r.epoch(), r.trainLoss(),
                        r.valLoss(), r.valAccuracy(), r.seconds(), r.best() ? "  *" : "");
                err.flush();
            }
        };
    }
}
