package dev.srr.bench.tornado;

import dev.srr.compute.tornado.Kernels;
import dev.srr.compute.tornado.TornadoDevices;
import dev.srr.compute.tornado.TornadoScorer;
import dev.srr.compute.tornado.TornadoSettings;
import com.fasterxml.jackson.databind.JsonNode;
import dev.srr.compute.KvSequence;
import dev.srr.compute.Step;
import dev.srr.compute.StepRequest;
import dev.srr.engine.CaptureRequest;
import dev.srr.engine.GreedyDecoder;
import dev.srr.engine.LoadedModel;
import dev.srr.engine.Pooling;
import dev.srr.engine.SequenceOutput;
import dev.srr.compute.StepOutput;
import dev.srr.engine.ForwardDriver;
import dev.srr.io.Json;
import dev.srr.rank.FeatureList;
import dev.srr.rank.Ranker;
import dev.srr.rank.RankerConfig;
import dev.srr.tensor.Tensor;
import uk.ac.manchester.tornado.api.GridScheduler;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.WorkerGrid;
import uk.ac.manchester.tornado.api.WorkerGrid2D;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.HalfFloatArray;
import uk.ac.manchester.tornado.api.types.arrays.ShortArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Correctness on a GPU host that has no JUnit or Maven (run by scripts/gpu-check from the bundle): the same
 * comparisons as TornadoForwardTest, KernelsTest and TornadoScorerTest, each check isolated so one failure
 * does not hide the others. Prints one line per check and writes a JSON summary; exits 1 when any check fails.
 * Run with {@code -Dtornado.recover.bailout=False} so a kernel that does not compile fails instead of running as Java.
 *
 * <pre>GpuCheck GOLDEN_MODELS_DIR OUT.json [f32,f16]</pre>
 * {@code -Dsrr.check.quick=true} skips the scorer throughput measurement.
 */
public final class GpuCheck {
    private static final List<String> MODELS = List.of("llama-tiny-bf16", "qwen2-tiny-f16", "qwen3-tiny-bf16", "mistral-tiny-f32");
    private static final double F32_TOLERANCE = 1e-5;
    /** FP16 weights against the CPU's stored weights: rounding alone gives ~1e-3. */
    private static final double F16_TOLERANCE = 2e-2;
    private static final int ROWS = 0;

    private final Map<String, Object> results = new LinkedHashMap<>();
    private final List<String> failures = new ArrayList<>();
    private final Random random = new Random(42);

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: GpuCheck GOLDEN_MODELS_DIR OUT.json [f32,f16,raw16]");
            System.exit(2);
        }
        Path golden = Path.of(args[0]);
        List<String> formats = List.of((args.length > 2 ? args[2] : "f32,f16").split(","));
        GpuCheck c = new GpuCheck();
        c.results.put("bailout", System.getProperty("tornado.recover.bailout"));
        c.attempt("devices", () -> c.results.put("devices", TornadoDevices.list()));
        for (String f : formats) {
            c.attempt("kernels " + f, () -> c.kernels(f));
            c.attempt("forward " + f, () -> c.forward(golden, f));
        }
        c.attempt("scorer", c::scorer);
        c.results.put("failures", c.failures);
        Files.writeString(Path.of(args[1]), Json.write(c.results));
        System.out.println(c.failures.isEmpty() ? "gpu-check: all checks passed" : "gpu-check: FAILED: " + c.failures);
        System.exit(c.failures.isEmpty() ? 0 : 1);
    }

    private void attempt(String what, Runnable check) {
        long t0 = System.nanoTime();
        try {
            check.run();
            System.out.printf("[ok]   %s (%.1f s)%n", what, (System.nanoTime() - t0) / 1e9);
        } catch (Throwable e) {
            failures.add(what + ": " + e);
            System.out.printf("[FAIL] %s (%.1f s): %s%n", what, (System.nanoTime() - t0) / 1e9, e);
            e.printStackTrace(System.out);
        }
    }

    private void record(Map<String, Object> into, String where, double err, double tolerance) {
        into.merge("worst", err, (a, b) -> Math.max((Double) a, (Double) b));
        if (err >= (Double) into.get("worst")) into.put("worst_at", where);
        if (!(err <= tolerance)) throw new AssertionError(where + ": relative error " + err + " > " + tolerance);
    }

    // ---- whole forward on the golden models ----

    private void forward(Path golden, String format) {
        System.setProperty(TornadoSettings.WEIGHTS, format);
        double tolerance = format.equals("f16") ? F16_TOLERANCE : F32_TOLERANCE;
        Map<String, Object> perModel = new LinkedHashMap<>();
        results.put("forward_" + format, perModel);
        List<String> failed = new ArrayList<>();
        for (String name : MODELS) {
            Map<String, Object> r = new LinkedHashMap<>();
            perModel.put(name, r);
            try {
                forwardModel(golden.resolve(name), name, r, tolerance);
                System.out.printf("       forward %s %-16s worst relative error %.3e (%s), greedy = cpu: %s, = transformers: %s%n",
                        format, name, r.get("worst"), r.get("worst_at"), r.get("greedy_equals_cpu"), r.get("greedy_equals_transformers"));
            } catch (Throwable e) {
                r.put("error", e.toString());
                failed.add(name + ": " + e);
                System.out.printf("       forward %s %-16s FAILED: %s%n", format, name, e);
            }
        }
        if (!failed.isEmpty()) throw new AssertionError(String.join("; ", failed));
    }

    private void forwardModel(Path dir, String name, Map<String, Object> r, double tolerance) {
        JsonNode ref = Json.read(dir.resolve("reference.json")).get("sequences");
        Path model = dir.resolve("model");
        boolean tokensCpu = true;
        boolean tokensRef = true;
        try (LoadedModel cpu = LoadedModel.open(model, "cpu"); LoadedModel gpu = LoadedModel.open(model, "tornado")) {
            int layers = cpu.config().numLayers();
            CaptureRequest all = new CaptureRequest(IntStream.rangeClosed(0, layers).toArray(), new Pooling[]{Pooling.ALL}, true,
                    CaptureRequest.Logits.ALL);
            for (String seq : List.of("A", "B")) {
                int[] input = ints(ref.get(seq).get("input_ids"));
                SequenceOutput e = cpu.forward().run(List.of(input), all).getFirst();
                SequenceOutput a = gpu.forward().run(List.of(input), all).getFirst();
                for (int k = 0; k <= layers; k++) {
                    record(r, seq + " hidden_states." + k, err(a.hidden(k, Pooling.ALL), e.hidden(k, Pooling.ALL)), tolerance);
                }
                record(r, seq + " logits", err(a.logits(), e.logits()), tolerance);
                int[] reference = ints(ref.get(seq).get("greedy_new_ids"));
                int[] expected = GreedyDecoder.continueGreedy(cpu.forward(), input, reference.length, new int[0]);
                int[] actual = GreedyDecoder.continueGreedy(gpu.forward(), input, reference.length, new int[0]);
                tokensCpu &= Arrays.equals(expected, actual);
                tokensRef &= Arrays.equals(reference, actual);
            }
            // KV-cache decode against the full forward of the same tokens
            int[] tokens = ints(ref.get("B").get("input_ids"));
            ForwardDriver t = gpu.forward();
            int vocab = gpu.config().vocabSize();
            SequenceOutput full = t.run(List.of(tokens), all).getFirst();
            int prefix = Math.min(5, tokens.length - 1);
            try (KvSequence s = t.cache().open()) {
                t.append(List.of(Arrays.copyOf(tokens, prefix)), List.of(s), CaptureRequest.of(new int[]{layers}, Pooling.LAST));
                for (int p = prefix; p < tokens.length; p++) {
                    StepOutput o = t.step(StepRequest.logits(new Step(new int[]{tokens[p]}, new int[]{s.id()}, new int[]{p}), 0));
                    record(r, "decode pos " + p + " logits", err(o.logits(), Arrays.copyOfRange(full.logits(), p * vocab, (p + 1) * vocab)), tolerance);
                }
            }
        }
        r.put("greedy_equals_cpu", tokensCpu);
        r.put("greedy_equals_transformers", tokensRef);
        // FP16 rounding may flip a near-tie argmax on these random tiny models: report it, fail only FP32
        if (tolerance == F32_TOLERANCE && !(tokensCpu && tokensRef)) throw new AssertionError(name + ": greedy tokens differ");
    }

    private static int[] ints(JsonNode a) {
        return IntStream.range(0, a.size()).map(i -> a.get(i).asInt()).toArray();
    }

    private static double err(float[] a, float[] e) {
        if (a.length != e.length) throw new AssertionError("length " + a.length + " != " + e.length);
        double num = 0;
        double den = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (double) a[i] - e[i];
            num += d * d;
            den += (double) e[i] * e[i];
        }
        return Math.sqrt(num) / Math.sqrt(den);
    }

    // ---- kernels alone at model-like sizes, against double references ----

    private void kernels(String format) {
        Map<String, Object> r = new LinkedHashMap<>();
        results.put("kernels_" + format, r);
        // Qwen2.5-0.5B-like widths with rows that are not a multiple of the row block
        matmul(r, format, 5, 896, 1152, true, false);
        matmul(r, format, 7, 4864, 896, false, true);
        matmul(r, format, 1, 3584, 512, true, false);
        System.out.printf("       kernels %s: worst relative error %.3e (%s)%n", format, r.get("worst"), r.get("worst_at"));
    }

    private float[] random(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = random.nextFloat() * 2 - 1;
        return a;
    }

    /** {@code format}: f32, f16 ({@link HalfFloatArray}) or raw16 (BF16 bits in a {@link ShortArray}). */
    private void matmul(Map<String, Object> r, String format, int rows, int inW, int outW, boolean bias, boolean accumulate) {
        boolean half = format.equals("f16");
        boolean raw = format.equals("raw16");
        float[] x = random(rows * inW);
        float[] w = random(outW * inW);
        if (half) for (int i = 0; i < w.length; i++) w[i] = Float.float16ToFloat(Float.floatToFloat16(w[i]));
        if (raw) for (int i = 0; i < w.length; i++) w[i] = Tensor.bf16ToFloat(Tensor.floatToBf16(w[i]));
        float[] b = bias ? random(outW) : new float[1];
        float[] start = random(rows * outW);
        float[] expected = new float[rows * outW];
        for (int t = 0; t < rows; t++) {
            for (int o = 0; o < outW; o++) {
                double s = bias ? b[o] : 0;
                for (int i = 0; i < inW; i++) s += (double) x[t * inW + i] * w[o * inW + i];
                expected[t * outW + o] = (float) (s + (accumulate ? start[t * outW + o] : 0));
            }
        }
        // a lone matrix kernel reads only the row count, from meta[ROWS]
        IntArray m = new IntArray(1);
        m.set(ROWS, rows);
        FloatArray dx = FloatArray.fromArray(x);
        FloatArray db = FloatArray.fromArray(b);
        FloatArray out = accumulate ? FloatArray.fromArray(start) : new FloatArray(rows * outW);
        String name = "mm" + rows + "x" + inW + "x" + outW + (half ? "h" : raw ? "r" : "f");
        TaskGraph g = new TaskGraph(name);
        if (half) {
            HalfFloatArray dw = new HalfFloatArray(w.length);
            for (int i = 0; i < w.length; i++) dw.getSegment().setAtIndex(ValueLayout.JAVA_SHORT, i, Float.floatToFloat16(w[i]));
            g.transferToDevice(DataTransferMode.EVERY_EXECUTION, m, dx, dw, db, out)
                    .task("t", Kernels::matmulF16, new KernelContext(), m, ROWS, dx, dw, db, out, inW, outW, bias ? 1 : 0, accumulate ? 1 : 0);
        } else if (raw) {
            ShortArray dw = new ShortArray(w.length);
            for (int i = 0; i < w.length; i++) dw.set(i, Tensor.floatToBf16(w[i]));
            g.transferToDevice(DataTransferMode.EVERY_EXECUTION, m, dx, dw, db, out)
                    .task("t", Kernels::matmulRaw16, new KernelContext(), m, ROWS, dx, dw, db, out, inW, outW, bias ? 1 : 0, accumulate ? 1 : 0, 0);
        } else {
            FloatArray dw = FloatArray.fromArray(w);
            g.transferToDevice(DataTransferMode.EVERY_EXECUTION, m, dx, dw, db, out)
                    .task("t", Kernels::matmulF32, new KernelContext(), m, ROWS, dx, dw, db, out, inW, outW, bias ? 1 : 0, accumulate ? 1 : 0);
        }
        g.transferToHost(DataTransferMode.EVERY_EXECUTION, out);
        WorkerGrid grid = new WorkerGrid2D(outW * 128, (rows + Kernels.ROWS_PER_GROUP - 1) / Kernels.ROWS_PER_GROUP);
        grid.setLocalWork(128, 1, 1);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(g.snapshot())) {
            plan.withDevice(TornadoDevices.select(System.getProperty(TornadoSettings.DEVICE, "")))
                    .withGridScheduler(new GridScheduler(name + ".t", grid)).execute();
        } catch (Exception e) {
            throw new AssertionError(name + ": " + e, e);
        }
        record(r, name, err(out.toHeapArray(), expected), F32_TOLERANCE);
    }

    // ---- the SRR scorer graph ----

    private void scorer() {
        Map<String, Object> r = new LinkedHashMap<>();
        results.put("scorer", r);
        double worst = 0;
        for (ScorerCheck.Result c : ScorerCheck.run(896, 16, 12)) {
            System.out.printf("       scorer %-56s relative error %.3e%n", c.what(), c.error());
            r.put(c.what(), c.error());
            worst = Math.max(worst, c.error());
        }
        r.put("worst", worst);
        if (!(worst <= ScorerCheck.TOLERANCE)) throw new AssertionError("scorer: relative error " + worst);
        if (Boolean.getBoolean("srr.check.quick")) return;
        // throughput at Qwen2.5-7B's width: 512 lists of 1 + 8, on the device and on the CPU
        RankerConfig c = RankerConfig.defaults(3584).withDropout(0);
        Ranker cpu = ScorerCheck.randomRanker(c, 9);
        List<FeatureList> lists = ScorerCheck.randomLists(c.featureDim(), 512, 8, 10);
        try (TornadoScorer gpu = new TornadoScorer(cpu)) {
            gpu.scoreAll(lists); // compile and upload
            long t0 = System.nanoTime();
            gpu.scoreAll(lists);
            double device = (System.nanoTime() - t0) / 1e9;
            cpu.scoreAll(lists);
            long t1 = System.nanoTime();
            cpu.scoreAll(lists);
            double host = (System.nanoTime() - t1) / 1e9;
            r.put("lists_per_s_device_d3584_k8", lists.size() / device);
            r.put("lists_per_s_cpu_d3584_k8", lists.size() / host);
            System.out.printf("       scorer d=3584, 512 lists of 1+8 rows: %.0f lists/s on %s, %.0f lists/s on the CPU ranker%n",
                    lists.size() / device, gpu.description(), lists.size() / host);
        }
    }
}
