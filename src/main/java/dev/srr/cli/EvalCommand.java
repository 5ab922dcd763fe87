package dev.srr.cli;

import dev.srr.SrrException;
import dev.srr.engine.Pooling;
import dev.srr.io.AtomicFiles;
import dev.srr.io.Json;
import dev.srr.features.FeatureCache;
import dev.srr.features.FeatureSet;
import dev.srr.features.FeatureSpec;
import dev.srr.features.ListSource;
import dev.srr.eval.HeldOutEvaluation;
import dev.srr.data.Labeler;
import dev.srr.eval.LayerSweep;
import dev.srr.data.ListDataset;
import dev.srr.eval.MetricsTable;
import dev.srr.rank.RankerCheckpoint;
import dev.srr.data.SafetyList;
import dev.srr.eval.SweepChart;
import dev.srr.eval.TransferMatrix;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Evaluate a ranker on held-out lists next to baselines, sweep layers, or measure transfer across sources.",
                "Default: --ranker R with --features CACHE (from srr features) or MODEL (features extracted with the "
                        + "ranker's layer, pooling and encode mode). Reports ranking accuracy, unsafe-selection rate, pairwise "
                        + "AUC and MRR for the ranker, random choice (expected), the first candidate, the keyword rule and, "
                        + "given --train-data, a ranker trained on the final layer and a bag-of-words logistic regression on "
                        + "the candidate text; plus XSTest over-refusal; 95%% bootstrap intervals over the lists (--bootstrap).",
                "--sweep: one ranker per cached layer and pooling (trained on --train-data, tested on --data); --out-chart "
                        + "writes an SVG line chart.",
                "--transfer: per source, train on a split of it and test on every source (matrix of accuracies).",
                "Make held-out data with srr split; features for both files can come from one cache of the whole file."})
public final class EvalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "MODEL", arity = "0..1", description = "Model (folder or .gguf) to extract features with (instead of --features).")
    Path model;

    @Option(names = "--ranker", description = "Ranker folder (srr train).")
    Path ranker;

    @Option(names = "--features", description = "Feature cache holding the --data lists.")
    Path features;

    @Option(names = "--data", required = true, description = "Lists JSONL to evaluate on (repeatable).")
    List<Path> data;

    @Option(names = "--train-data", description = "Training lists: for the final-layer baseline, the sweep's rankers.")
    Path trainData;

    @Option(names = "--train-features", description = "Feature cache of --train-data (default: the --features cache).")
    Path trainFeatures;

    @Option(names = "--sweep", description = "Train and test one ranker per cached layer and pooling.")
    boolean sweep;

    @Option(names = "--transfer", description = "Cross-source transfer matrix over the --data lists.")
    boolean transfer;

    @Option(names = "--out-chart", description = "With --sweep: write the accuracy-by-layer chart here (SVG).")
    Path chart;

    @Option(names = "--layer", description = "With --transfer: cached layer (default: 25%% depth or the only cached layer).")
    Integer layer;

    @Option(names = "--pool", description = "With --transfer: pooling (default last); with --sweep: poolings to sweep (default all cached).")
    String pool;

    @Option(names = "--label", defaultValue = "given", description = "given or keyword labels to score against (default: ${DEFAULT-VALUE}).")
    String label;

    @Option(names = "--shuffle", paramLabel = "SEED", description = "Evaluate with each list's candidates in a seeded random order "
            + "instead of file order (affects the first-candidate row and tie-breaking).")
    Long shuffle;

    @Option(names = "--bootstrap", defaultValue = "1000", paramLabel = "N", description = "Resamples of the test lists for 95%% "
            + "percentile intervals of every metric, 0 = none (default: ${DEFAULT-VALUE}).")
    int bootstrap;

    @Option(names = "--bootstrap-seed", defaultValue = "1", description = "Seed of the bootstrap resamples (default: ${DEFAULT-VALUE}).")
    long bootstrapSeed;

    @Option(names = "--best-out", paramLabel = "FILE", description = "With --sweep: write the best layer and pooling on --data "
            + "(highest accuracy, then AUC, then the lower layer) as one line 'LAYER POOLING'. Sweep a validation split for this, "
            + "never the test split.")
    Path bestOut;

    @Option(names = "--test", defaultValue = "0.3", description = "With --transfer: share of each source held out for the diagonal (default: ${DEFAULT-VALUE}).")
    double testShare;

    @Mixin
    RankerArgs training;

    @Mixin
    BackendOption backend;

    @Mixin
    JsonOption json;

    @Mixin
    QuietOption quiet;

    private PrintWriter out;
    private PrintWriter err;

    @Override
    public Integer call() {
        out = spec.commandLine().getOut();
        err = spec.commandLine().getErr();
        if (sweep && transfer) throw new SrrException("choose one of --sweep and --transfer");
        if (chart != null && !sweep) throw new SrrException("--out-chart needs --sweep");
        if (bestOut != null && !sweep) throw new SrrException("--best-out needs --sweep");
        if (trainFeatures != null && trainData == null) throw new SrrException("--train-features needs --train-data");
        // a ranker reads the layer and pooling it was trained on; only sweeps and transfer choose them
        if (layer != null && !transfer) throw new SrrException("--layer applies to --transfer only (a ranker uses its own layer)");
        if (pool != null && !sweep && !transfer) throw new SrrException("--pool applies to --sweep and --transfer (a ranker uses its own pooling)");
        if ((sweep || transfer) && (model != null || features == null)) {
            throw new SrrException((sweep ? "--sweep" : "--transfer") + " reads a feature cache: give --features (make it with srr features)");
        }
        if (sweep) return sweep();
        if (transfer) return transfer();
        if (ranker == null) throw new SrrException("--ranker is required (or use --sweep or --transfer)");
        if ((model == null) == (features == null)) throw new SrrException("give either MODEL or --features, not both");
        return evaluateRanker();
    }

    // ---- a trained ranker against the baselines ----

    private int evaluateRanker() {
        Labeler labeler = Labeler.parse(label);
        RankerCheckpoint checkpoint = RankerCheckpoint.load(ranker);
        FeatureSpec fs = FeatureSpec.of(checkpoint, ranker);
        List<SafetyList> lists = ListDataset.read(data).lists();
        List<SafetyList> trainLists = trainData == null ? null : ListDataset.read(trainData).lists();
        try (FeatureInput test = FeatureInput.open(model, features, backend.name, fs, ranker, trainLists != null, err, quiet.on);
             FeatureCache trainCache = trainFeatures == null ? null : FeatureCache.open(trainFeatures)) {
            ListSource train = trainLists == null ? null
                    : new ListSource(trainLists, trainData, trainCache != null ? trainCache : test.source);
            HeldOutEvaluation ev = HeldOutEvaluation.run(checkpoint.ranker(), fs, new ListSource(lists, dataName(), test.source), train,
                    labeler, training.options(checkpoint.ranker().config()), training.val, training.shared(), shuffle,
                    new dev.srr.eval.Bootstrap(bootstrap, bootstrapSeed, 0.95), (count, layer) -> {
                        if (!quiet.on) err.printf("eval: training the final-layer baseline on %d lists at layer %d%n", count, layer);
                    });
            report(ev, fs);
        }
        return 0;
    }

    private void report(HeldOutEvaluation ev, FeatureSpec fs) {
        if (json.on) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mode", "eval");
            m.put("ranker", ranker.toString());
            m.put("feature_spec", fs.toJson());
            m.put("data", data.stream().map(Path::toString).toList());
            m.put("lists", ev.lists());
            m.put("shuffle_seed", shuffle);
            m.putAll(ev.toJson());
            out.println(Json.write(m));
            return;
        }
        out.printf("eval: ranker %s (layer %d, %s pooling, %s), %d lists from %s%s%n%n", ranker, fs.layer(), fs.pooling().label(),
                fs.encode().label(), ev.lists(), dataName(), shuffle == null ? "" : ", candidates shuffled with seed " + shuffle);
        out.print(MetricsTable.render(ev.metrics(), ev.intervals()));
        if (!ev.overRefusal().isEmpty()) {
            out.println();
            out.println("over-refusal on XSTest safe prompts that have a compliant answer (share of lists where a refusal is chosen):");
            ev.overRefusalLines().forEach(l -> out.println("  " + l));
        }
        out.println();
        ev.notes().forEach(n -> out.println("note: " + n));
    }

    // ---- layer sweep ----

    private int sweep() {
        if (trainData == null) throw new SrrException("--sweep needs --train-data (the lists to train each layer's ranker on)");
        Labeler labeler = Labeler.parse(label);
        List<Pooling> pools = pool == null ? null : Arrays.stream(pool.split(",")).map(Pooling::parse).toList();
        try (FeatureCache test = FeatureCache.open(features);
             FeatureCache trainOwn = trainFeatures == null ? null : FeatureCache.open(trainFeatures)) {
            FeatureCache train = trainOwn == null ? test : trainOwn;

            Progress progress = new Progress(err, quiet.on, "sweep");
            LayerSweep result = LayerSweep.run(
                    new ListSource(ListDataset.read(trainData).lists(), trainData, train),
                    new ListSource(ListDataset.read(data).lists(), dataName(), test),
                    pools, labeler, training.options(training.shape(test.hiddenSize())), training.val, training.shared(), shuffle,
                    (row, done, total) -> progress.update(done, total, "rankers",
                            String.format(Locale.ROOT, " layer %d %s: accuracy %.3f", row.layer(), row.pooling().label(), row.test().accuracy())));
            progress.done();
            if (chart != null) {
                AtomicFiles.writeString(chart, SweepChart.svg(result, "SRR accuracy by layer on " + dataName().getFileName() + ": " + test.header().model()));
            }
            LayerSweep.Row best = result.best();
            if (bestOut != null) AtomicFiles.writeString(bestOut, best.layer() + " " + best.pooling().label() + "\n");
            if (json.on) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("mode", "sweep");
                m.putAll(result.toJson());
                Map<String, Object> b = new LinkedHashMap<>();
                b.put("layer", best.layer());
                b.put("pooling", best.pooling().label());
                m.put("best", b);
                m.put("chart", chart == null ? null : chart.toString());
                out.println(Json.write(m));
            } else {
                out.printf("sweep: rankers trained on %s, tested on %s%n%n", trainData, dataName());
                out.print(SweepChart.table(result));
                out.println();
                out.println("baselines on the test lists (the same at every layer):");
                out.print(MetricsTable.render(result.baselines()));
                out.printf(Locale.ROOT, "%nbest on %s: layer %d, %s pooling (accuracy %.3f, AUC %.3f)%n", dataName(), best.layer(),
                        best.pooling().label(), best.test().accuracy(), best.test().pairwiseAuc());
                if (chart != null) out.println("chart: " + chart);
            }
        }
        return 0;
    }

    // ---- cross-source transfer ----

    private int transfer() {
        Labeler labeler = Labeler.parse(label);
        Pooling pooling = Pooling.parse(pool == null ? "last" : pool);
        try (FeatureCache cache = FeatureCache.open(features)) {
            int l = cache.defaultLayer(layer);
            FeatureSet all = cache.join(ListDataset.read(data).lists(), dataName(), l, pooling, labeler);
            Progress progress = new Progress(err, quiet.on, "transfer");
            TransferMatrix m = TransferMatrix.run(all, testShare, training.options(training.shape(cache.hiddenSize())), training.val,
                    training.shared(), shuffle,
                    (source, done, total) -> progress.update(done, total, "sources", " trained on " + source));
            progress.done();
            if (json.on) {
                Map<String, Object> j = new LinkedHashMap<>();
                j.put("mode", "transfer");
                j.put("layer", l);
                j.put("pooling", pooling.label());
                j.put("test_share", testShare);
                j.putAll(m.toJson());
                out.println(Json.write(j));
            } else {
                out.printf(Locale.ROOT, "transfer: ranking accuracy, layer %d, %s pooling; rows = train source, columns = test source; "
                        + "[diagonal] = held-out %.0f%% of the same source%n%n", l, pooling.label(), 100 * testShare);
                out.print(m.render());
                out.println();
                m.trainingLines().forEach(out::println);
            }
        }
        return 0;
    }

    // ---- shared helpers ----

    private Path dataName() {
        return data.size() == 1 ? data.getFirst() : Path.of(data.stream().map(Path::toString).collect(Collectors.joining(",")));
    }
}
