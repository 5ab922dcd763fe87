package dev.srr.cli;

import dev.srr.SrrException;
import dev.srr.engine.LoadedModel;
import dev.srr.engine.Pooling;
import dev.srr.features.EncodeMode;
import dev.srr.features.FeatureCache;
import dev.srr.features.FeatureExtractor;
import dev.srr.features.FeatureWriter;
import dev.srr.data.ListDataset;
import dev.srr.data.SafetyList;
import dev.srr.tokenizer.ModelTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "features", mixinStandardHelpOptions = true,
        description = {"Encode lists of candidates with the model and cache the SRR features for train/eval.",
                "The instruction vector is the last token of the chat-formatted prompt (generation prompt included); a "
                        + "candidate is encoded as the assistant's answer to its prompt (or to its attack_prompt), or on "
                        + "its own with --encode standalone. One forward per text captures every requested layer and "
                        + "pooling, stopping at the highest layer. Interrupted runs resume from <out>.parts/."})
public final class FeaturesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "MODEL", description = "Model with its tokenizer: a Hugging Face checkpoint folder or a .gguf file.")
    Path model;

    @Option(names = "--data", required = true, description = "Lists JSONL file.")
    Path data;

    @Option(names = "--layers", description = "Decoder layers counted from 1 (hidden_states indices): e.g. 6 or 2,6,12, "
            + "or all. Default: 25%% depth.")
    String layers;

    @Option(names = "--pool", defaultValue = "last", description = "Candidate pooling: last, mean or last,mean (default: ${DEFAULT-VALUE}).")
    String pool;

    @Option(names = "--encode", defaultValue = "continuation", description = "continuation or standalone (default: ${DEFAULT-VALUE}).")
    String encode;

    @Option(names = "--out", required = true, description = "Feature cache (.safetensors), written when complete.")
    Path out;

    @Option(names = "--limit", description = "Use only the first N lists that have candidates.")
    Integer limit;

    @Option(names = "--part-size", defaultValue = "16", description = "Lists per resumable part (default: ${DEFAULT-VALUE}).")
    int partSize;

    @Mixin
    BackendOption backend;

    @Mixin
    QuietOption quiet;

    @Override
    public Integer call() {
        if (limit != null && limit < 1) throw new SrrException("--limit must be at least 1, got " + limit);
        List<SafetyList> lists = ListDataset.read(data).lists().stream().filter(l -> !l.candidates().isEmpty()).toList();
        if (limit != null) lists = lists.subList(0, Math.min(limit, lists.size()));
        if (lists.isEmpty()) throw new SrrException(data + ": no list has candidates");
        Pooling[] poolings = Arrays.stream(pool.split(",")).map(Pooling::parse).distinct().toArray(Pooling[]::new);
        for (Pooling p : poolings) if (p == Pooling.ALL) throw new SrrException("--pool: use last and/or mean");
        ModelTokenizer tokenizer = ModelTokenizer.load(model);
        PrintWriter err = spec.commandLine().getErr();
        long start = System.nanoTime();
        try (LoadedModel m = LoadedModel.open(model, backend.name)) {
            int numLayers = m.config().numLayers();
            int[] wanted = layers == null ? new int[]{m.config().quarterLayer()}
                    : layers.equals("all") ? java.util.stream.IntStream.rangeClosed(1, numLayers).toArray()
                    : Ids.layers(layers, numLayers, "--layers");
            FeatureCache.Header header = new FeatureCache.Header(m.checkpoint().identity(), m.config().hiddenSize(), numLayers, wanted,
                    List.of(poolings), EncodeMode.parse(encode), FeatureCache.sha256(data),
                    lists.stream().map(SafetyList::id).toList(), lists.stream().mapToInt(l -> l.candidates().size()).toArray());
            FeatureExtractor extractor = new FeatureExtractor(m.forward(), tokenizer, wanted, poolings, EncodeMode.parse(encode));
            int total = lists.size();
            Progress progress = new Progress(err, quiet.on, "features");
            int resumed = new FeatureWriter(extractor, partSize).write(lists, header, out,
                    done -> progress.update(done, total, "lists"));
            progress.done();
            if (!quiet.on) {
                err.printf("features: %d lists (%d candidates), layers %s, pooling %s -> %s in %.1f s%s%s%n", total,
                        header.totalCandidates(), Arrays.toString(wanted), pool, out, (System.nanoTime() - start) / 1e9,
                        resumed > 0 ? ", " + resumed + " lists resumed from an earlier run" : "",
                        extractor.truncatedCandidates() > 0 ? ", " + extractor.truncatedCandidates() + " texts cut to the context" : "");
            }
        }
        return 0;
    }
}
