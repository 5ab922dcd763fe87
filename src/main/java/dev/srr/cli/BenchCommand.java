package dev.srr.cli;

import dev.srr.bench.ModelBench;
import dev.srr.bench.ProcessMemory;
import dev.srr.bench.Stats;
import dev.srr.compute.MemoryBandwidth;
import dev.srr.Parallel;
import dev.srr.engine.LoadedModel;
import dev.srr.io.Json;
import dev.srr.model.ModelConfig;
import dev.srr.model.ModelWeights;
import dev.srr.model.Weights;
import dev.srr.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.DoubleSupplier;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure throughput in the style of llama-bench: prompt processing (pp) at several lengths, decode "
                + "(tg) at several context depths and with K sequences per step, SRR feature encoding stopping at the 25%% layer and at the last, the "
                + "machine's memory read bandwidth and the decode ceiling it implies.",
                "Each test runs once untimed (JIT warm-up), then --repeat times; the median is reported with the spread."})
public final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "MODEL", description = "Model: a Hugging Face checkpoint folder or a .gguf file.")
    Path model;

    @Mixin
    JsonOption json;

    @Option(names = "--repeat", defaultValue = "3", description = "Timed runs per test (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--pp", defaultValue = "512,2048,4096", split = ",", paramLabel = "N[,N...]",
            description = "Prompt lengths for pp, each one sequence in one batched step (default: ${DEFAULT-VALUE}; 0 skips). "
                    + "Lengths past the model's context are skipped with a note.")
    int[] pp;

    @Option(names = "--tg", defaultValue = "128", description = "Decode steps for tg (default: ${DEFAULT-VALUE}; 0 skips).")
    int tg;

    @Option(names = "--depth", defaultValue = "0,512,4096", split = ",", paramLabel = "D[,D...]",
            description = "Context depths for tg, as llama-bench's -d: each tg run decodes after D tokens already in "
                    + "the KV cache (prefilled once, untimed), so it shows attention's cost (default: ${DEFAULT-VALUE}).")
    int[] depth;

    @Option(names = "--k", defaultValue = "8", description = "Sequences decoding together in batched tg (default: ${DEFAULT-VALUE}; 0 skips).")
    int k;

    @Option(names = "--k-prompt", defaultValue = "32", description = "Shared prompt the K sequences fork from (default: ${DEFAULT-VALUE}).")
    int kPrompt;

    @Option(names = "--encode", defaultValue = "8x256", description = "SRR encode lists x tokens (default: ${DEFAULT-VALUE}; 0 skips).")
    String encode;

    @Option(names = "--encode-logits", description = "Also time encode as a plain full forward does it: all layers and "
            + "logits for every position (needs lists x tokens x vocab floats of heap).")
    boolean encodeLogits;

    @Option(names = "--stream-mb", defaultValue = "1024", description = "Buffer for the bandwidth test in MiB (default: ${DEFAULT-VALUE}; 0 skips).")
    int streamMb;

    @Mixin
    BackendOption backend;

    private PrintWriter err;
    /** Tests that did not fit the model, with why. */
    private final Map<String, String> skipped = new LinkedHashMap<>();

    private void skip(String name, String why) {
        err.println("bench: " + name + " skipped: " + why);
        skipped.put(name, why);
    }

    @Override
    public Integer call() {
        if (repeat < 1) throw new dev.srr.SrrException("--repeat must be at least 1");
        for (int n : pp) if (n < 0) throw new dev.srr.SrrException("--pp: " + n + " is negative");
        for (int d : depth) if (d < 0) throw new dev.srr.SrrException("--depth: " + d + " is negative");
        int[] encodeShape = encode.equals("0") ? null : encodeShape(encode);
        err = spec.commandLine().getErr();
        Map<String, Object> report = new LinkedHashMap<>();
        Map<String, Object> tests = new LinkedHashMap<>();
        long opening = System.nanoTime();
        try (LoadedModel m = LoadedModel.open(model, backend.name)) {
            report.put("open_ms", (System.nanoTime() - opening) / 1e6);
            report.put("backend_startup", m.forward().backend().startupReport());
            ModelConfig c = m.config();
            Weights w = m.checkpoint().weights();
            long decodeBytes = decodeBytes(c, w);
            report.put("model", model.toString());
            report.put("family", c.modelType());
            report.put("dtype", c.dtype());
            report.put("weight_bytes", w.totalBytes());
            report.put("decode_bytes_per_token", decodeBytes);
            report.put("backend", backend.name);
            report.put("threads", Parallel.THREADS);
            report.put("cpus", Runtime.getRuntime().availableProcessors());
            report.put("java", Runtime.version().toString());
            report.put("repeat", repeat);
            ModelBench b = new ModelBench(m.forward());
            int context = c.maxPositions();
            for (int n : pp) {
                if (n <= 0) continue;
                if (n > context) skip("pp" + n, n + " tokens exceed the model's context of " + context);
                else tests.put("pp" + n, run("pp" + n, () -> b.prefill(n)));
            }
            for (int d : tg > 0 ? depth : new int[0]) {
                String name = d == 0 ? "tg" + tg : "tg" + tg + "_d" + d;
                if (d + tg > context) skip(name, "depth " + d + " + " + tg + " steps exceed the model's context of " + context);
                else tests.put(name, run(name, () -> b.decode(tg, 1, d)));
            }
            if (tg > 0 && k > 1) tests.put("tg" + tg + "_k" + k, run("tg" + tg + " k=" + k, () -> b.decode(tg, k, kPrompt)));
            if (encodeShape != null) {
                int lists = encodeShape[0];
                int len = encodeShape[1];
                int quarter = c.quarterLayer();
                Stats q = run("encode " + encode + " @" + quarter, () -> b.encode(lists, len, quarter));
                Stats full = run("encode " + encode + " @" + c.numLayers(), () -> b.encode(lists, len, c.numLayers()));
                tests.put("encode_" + encode + "_layer" + quarter, q);
                tests.put("encode_" + encode + "_layer" + c.numLayers(), full);
                report.put("encode_speedup_quarter_vs_full", q.median() / full.median());
                if (encodeLogits) {
                    Stats logits = run("encode " + encode + " all layers + logits", () -> b.encodeWithAllLogits(lists, len));
                    tests.put("encode_" + encode + "_with_logits", logits);
                    report.put("encode_speedup_quarter_vs_full_with_logits", q.median() / logits.median());
                }
            }
            if (streamMb > 0) {
                err.println("bench: memory bandwidth over " + streamMb + " MiB ...");
                double bw = MemoryBandwidth.measure(streamMb * (1L << 20), 5);
                report.put("memory_read_gb_s", bw / 1e9);
                double ceiling = bw / decodeBytes;
                report.put("decode_ceiling_tok_s", ceiling);
                if (tests.get("tg" + tg) instanceof Stats s) report.put("decode_fraction_of_ceiling", s.median() / ceiling);
            }
            report.put("memory_kb", ProcessMemory.snapshot());
            b.close();
        }
        if (!skipped.isEmpty()) report.put("skipped", skipped);
        report.put("tests", toMaps(tests));
        PrintWriter out = spec.commandLine().getOut();
        if (json.on) out.println(Json.write(report));
        else print(out, report, tests);
        return 0;
    }

    /** {@code --encode LISTSxTOKENS}, both positive, checked before the model is loaded. */
    static int[] encodeShape(String text) {
        String[] parts = text.toLowerCase(java.util.Locale.ROOT).split("x", -1);
        try {
            if (parts.length == 2) {
                int lists = Integer.parseInt(parts[0].strip());
                int tokens = Integer.parseInt(parts[1].strip());
                if (lists > 0 && tokens > 0) return new int[]{lists, tokens};
            }
        } catch (NumberFormatException e) {
            // reported below with the other malformed shapes
        }
        throw new dev.srr.SrrException("--encode: '" + text + "' is not LISTSxTOKENS with two positive numbers (e.g. 8x256), or 0");
    }

    /** Bytes a decode step streams: every layer's matrices plus the output projection (one embedding row is noise). */
    static long decodeBytes(ModelConfig c, Weights w) {
        long bytes = 0;
        for (Map.Entry<String, Tensor> e : w.all().entrySet()) {
            if (e.getKey().startsWith("model.layers.")) bytes += e.getValue().data().byteSize();
        }
        return bytes + w.all().get(ModelWeights.lmHead(c)).data().byteSize();
    }

    private Stats run(String name, DoubleSupplier test) {
        err.println("bench: " + name + " (warm-up + " + repeat + ")");
        test.getAsDouble();
        double[] s = new double[repeat];
        for (int i = 0; i < repeat; i++) s[i] = test.getAsDouble();
        Stats stats = new Stats(s);
        err.printf("bench: %s: %.2f t/s%n", name, stats.median()); // in the log even if the run is cut short
        return stats;
    }

    private static Map<String, Object> toMaps(Map<String, Object> tests) {
        Map<String, Object> m = new LinkedHashMap<>();
        tests.forEach((k, v) -> m.put(k, v instanceof Stats s ? s.toMap() : v));
        return m;
    }

    private static void print(PrintWriter out, Map<String, Object> report, Map<String, Object> tests) {
        out.printf("model %s (%s, %s), %,d weight bytes, backend.name %s, %s threads, Java %s%n", report.get("model"),
                report.get("family"), report.get("dtype"), (Long) report.get("weight_bytes"), report.get("backend"),
                report.get("threads"), report.get("java"));
        out.printf("| %-24s | %12s | %22s |%n", "test", "t/s (median)", "min .. max (stddev)");
        out.printf("| %-24s | %12s | %22s |%n", "-".repeat(24), "-".repeat(12), "-".repeat(22));
        tests.forEach((name, v) -> {
            Stats s = (Stats) v;
            out.printf("| %-24s | %12.2f | %22s |%n", name, s.median(),
                    String.format("%.2f .. %.2f (%.2f)", s.min(), s.max(), s.stddev()));
        });
        out.printf("%-32s %.0f%n", "open_ms", (Double) report.get("open_ms"));
        if (report.get("backend_startup") instanceof Map<?, ?> m && !m.isEmpty()) out.printf("%-32s %s%n", "backend_startup", m);
        for (String key : new String[]{"encode_speedup_quarter_vs_full", "encode_speedup_quarter_vs_full_with_logits", "memory_read_gb_s", "decode_ceiling_tok_s", "decode_fraction_of_ceiling"}) {
            if (report.containsKey(key)) out.printf("%-32s %.3f%n", key, (Double) report.get(key));
        }
        out.printf("%-32s %,d%n", "decode_bytes_per_token", (Long) report.get("decode_bytes_per_token"));
        out.printf("%-32s %s%n", "memory_kb", report.get("memory_kb"));
        if (report.get("skipped") instanceof Map<?, ?> skipped) skipped.forEach((k, v) -> out.printf("skipped %s: %s%n", k, v));
    }
}
