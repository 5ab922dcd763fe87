package dev.srr.compute.tornado;

import dev.srr.TestData;
import dev.srr.compute.KvSequence;
import dev.srr.compute.KvSequences;
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
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole forward on the TornadoVM backend against the CPU backend on the four tiny golden models: hidden
 * states of every layer, logits, greedy tokens, KV-cache decode and batched rows. Runs on the SDK's JVM with
 * bail-outs disabled, so a kernel TornadoVM cannot compile fails the test instead of running as Java.
 */
class TornadoForwardTest {
    static final double TOLERANCE = 1e-5;
    static double worst = 0;
    static String worstWhere = "";
    static double worstRaw16 = 0;
    static String worstRaw16Where = "";

    @BeforeAll
    static void bailOutsFail() {
        assertTrue("false".equalsIgnoreCase(System.getProperty("tornado.recover.bailout")),
                "run with -Dtornado.recover.bailout=False (the tornado profile's surefire argLine) so a bail-out fails the test");
    }

    static List<String> models() {
        return TestData.GOLDEN_MODELS;
    }

    static int[] sequence(String model, String name) {
        JsonNode ref = Json.read(TestData.goldenModel(model).resolve("reference.json")).get("sequences");
        JsonNode ids = ref.get(name).get("input_ids");
        return IntStream.range(0, ids.size()).map(i -> ids.get(i).asInt()).toArray();
    }

    static int[] greedyReference(String model, String name) {
        JsonNode ids = Json.read(TestData.goldenModel(model).resolve("reference.json")).get("sequences").get(name).get("greedy_new_ids");
        return IntStream.range(0, ids.size()).map(i -> ids.get(i).asInt()).toArray();
    }

    static synchronized void check(String where, float[] actual, float[] expected, double tolerance) {
        double err = TestData.relativeError(actual, expected);
        if (where.contains(" raw16 ") && err > worstRaw16) {
            worstRaw16 = err;
            worstRaw16Where = where;
        }
        if (err > worst) {
            worst = err;
            worstWhere = where;
        }
        assertTrue(err <= tolerance, where + ": relative error " + err + " > " + tolerance);
    }

    private static CaptureRequest everything(int layers) {
        return new CaptureRequest(IntStream.rangeClosed(0, layers).toArray(), new Pooling[]{Pooling.ALL}, true, CaptureRequest.Logits.ALL);
    }

    private static Path model(String name) {
        return TestData.goldenModel(name).resolve("model");
    }

    @ParameterizedTest
    @MethodSource("models")
    void forwardMatchesCpuBackend(String name) {
        try (LoadedModel cpu = LoadedModel.open(model(name), "cpu"); LoadedModel gpu = LoadedModel.open(model(name), "tornado")) {
            int layers = cpu.config().numLayers();
            for (String seq : List.of("A", "B")) {
                int[] input = sequence(name, seq);
                SequenceOutput e = cpu.forward().run(List.of(input), everything(layers)).getFirst();
                SequenceOutput a = gpu.forward().run(List.of(input), everything(layers)).getFirst();
                for (int k = 0; k <= layers; k++) {
                    check(name + " " + seq + " hidden_states." + k, a.hidden(k, Pooling.ALL), e.hidden(k, Pooling.ALL), TOLERANCE);
                }
                check(name + " " + seq + " raw last layer", a.rawLastLayer(), e.rawLastLayer(), TOLERANCE);
                check(name + " " + seq + " logits", a.logits(), e.logits(), TOLERANCE);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void greedyTokensMatchCpuAndTransformers(String name) {
        try (LoadedModel cpu = LoadedModel.open(model(name), "cpu"); LoadedModel gpu = LoadedModel.open(model(name), "tornado")) {
            for (String seq : List.of("A", "B")) {
                int[] input = sequence(name, seq);
                int[] reference = greedyReference(name, seq);
                int[] expected = GreedyDecoder.continueGreedy(cpu.forward(), input, reference.length, new int[0]);
                int[] actual = GreedyDecoder.continueGreedy(gpu.forward(), input, reference.length, new int[0]);
                assertArrayEquals(expected, actual, name + " " + seq + " greedy tokens vs CPU");
                assertArrayEquals(reference, actual, name + " " + seq + " greedy tokens vs transformers");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void kvCacheDecodeEqualsFullForward(String name) {
        int[] tokens = sequence(name, "B");
        try (LoadedModel m = LoadedModel.open(model(name), "tornado")) {
            ForwardDriver t = m.forward();
            int layers = m.config().numLayers();
            int d = m.config().hiddenSize();
            int vocab = m.config().vocabSize();
            SequenceOutput full = t.run(List.of(tokens), everything(layers)).getFirst();
            int prefix = 5;
            try (KvSequence seq = t.cache().open()) {
                t.append(List.of(Arrays.copyOf(tokens, prefix)), List.of(seq), everything(layers));
                for (int p = prefix; p < tokens.length; p++) {
                    StepOutput o = t.step(StepRequest.logits(new Step(new int[]{tokens[p]}, new int[]{seq.id()}, new int[]{p}), 0)
                            .capturing(IntStream.rangeClosed(0, layers).toArray(), new int[]{0}));
                    for (int k = 0; k <= layers; k++) {
                        check(name + " decode pos " + p + " hidden_states." + k, o.hidden().get(k),
                                Arrays.copyOfRange(full.hidden(k, Pooling.ALL), p * d, (p + 1) * d), TOLERANCE);
                    }
                    check(name + " decode pos " + p + " logits", o.logits(), Arrays.copyOfRange(full.logits(), p * vocab, (p + 1) * vocab), TOLERANCE);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void batchedRowsAndForkedCandidatesEqualOneAtATime(String name) {
        int[] a = sequence(name, "A");
        int[] b = sequence(name, "B");
        try (LoadedModel m = LoadedModel.open(model(name), "tornado")) {
            ForwardDriver t = m.forward();
            int layers = m.config().numLayers();
            CaptureRequest req = new CaptureRequest(IntStream.rangeClosed(0, layers).toArray(),
                    new Pooling[]{Pooling.ALL, Pooling.LAST, Pooling.MEAN}, true, CaptureRequest.Logits.ALL);
            List<SequenceOutput> batched = t.run(List.of(b, a, b), req);
            SequenceOutput soloA = t.run(List.of(a), req).getFirst();
            SequenceOutput soloB = t.run(List.of(b), req).getFirst();
            for (int i = 0; i < 3; i++) {
                SequenceOutput solo = i == 1 ? soloA : soloB;
                for (Pooling p : Pooling.values()) {
                    for (int k = 0; k <= layers; k++) {
                        check(name + " batched " + i + " " + p + " hidden_states." + k, batched.get(i).hidden(k, p), solo.hidden(k, p), TOLERANCE);
                    }
                }
                check(name + " batched " + i + " logits", batched.get(i).logits(), solo.logits(), TOLERANCE);
            }

            // K candidates forked from one prompt, decoding together in one step, against each run alone
            int prefix = 6;
            StepOutput together;
            int[] next = {b[prefix], a[0], b[prefix + 1]};
            try (KvSequence prompt = t.cache().open()) {
                t.append(List.of(Arrays.copyOf(b, prefix)), List.of(prompt), CaptureRequest.of(new int[]{layers}, Pooling.LAST));
                try (KvSequences forks = prompt.forks(prefix, 3)) {
                    int[] ids = forks.stream().mapToInt(KvSequence::id).toArray();
                    together = t.step(StepRequest.logits(new Step(next, ids, new int[]{prefix, prefix, prefix}), 0, 1, 2)
                            .capturing(new int[]{layers}, new int[]{0, 1, 2}));
                }
            }
            int vocab = m.config().vocabSize();
            for (int i = 0; i < 3; i++) {
                int[] alone = Arrays.copyOf(b, prefix + 1);
                alone[prefix] = next[i];
                SequenceOutput ref = t.run(List.of(alone), CaptureRequest.of(new int[]{layers}, Pooling.LAST)).getFirst();
                float[] expectedLogits = t.run(List.of(alone), CaptureRequest.lastLogits()).getFirst().logits();
                check(name + " fork " + i + " logits", Arrays.copyOfRange(together.logits(), i * vocab, (i + 1) * vocab), expectedLogits, TOLERANCE);
                int d = m.config().hiddenSize();
                check(name + " fork " + i + " norm", Arrays.copyOfRange(together.hidden().get(layers), i * d, (i + 1) * d),
                        ref.hidden(layers, Pooling.LAST), TOLERANCE);
            }
        }
    }

    /**
     * RAW16 weights (BF16/F16 bits widened in the kernels with integer operations; the F32 model stays FP32):
     * the same forward and greedy tokens as the CPU backend, which widens the same bits.
     */
    @ParameterizedTest
    @MethodSource("models")
    void raw16ForwardMatchesCpuBackend(String name) {
        String before = System.getProperty(TornadoSettings.WEIGHTS);
        System.setProperty(TornadoSettings.WEIGHTS, "raw16");
        try (LoadedModel cpu = LoadedModel.open(model(name), "cpu"); LoadedModel gpu = LoadedModel.open(model(name), "tornado")) {
            int layers = cpu.config().numLayers();
            for (String seq : List.of("A", "B")) {
                int[] input = sequence(name, seq);
                SequenceOutput e = cpu.forward().run(List.of(input), everything(layers)).getFirst();
                SequenceOutput a = gpu.forward().run(List.of(input), everything(layers)).getFirst();
                for (int k = 0; k <= layers; k++) {
                    check(name + " raw16 " + seq + " hidden_states." + k, a.hidden(k, Pooling.ALL), e.hidden(k, Pooling.ALL), TOLERANCE);
                }
                check(name + " raw16 " + seq + " logits", a.logits(), e.logits(), TOLERANCE);
                int[] reference = greedyReference(name, seq);
                int[] expected = GreedyDecoder.continueGreedy(cpu.forward(), input, reference.length, new int[0]);
                assertArrayEquals(expected, GreedyDecoder.continueGreedy(gpu.forward(), input, reference.length, new int[0]),
                        name + " raw16 " + seq + " greedy tokens vs CPU");
            }
        } finally {
            if (before == null) System.clearProperty(TornadoSettings.WEIGHTS);
            else System.setProperty(TornadoSettings.WEIGHTS, before);
        }
    }

    /**
     * A step that does not fit one execution: with room for 32 captured rows, a sequence capturing every layer runs
     * as one execution per capture point, each going on from the layer where the last one stopped; logits come in
     * chunks of 3 rows. Both against the CPU backend, and a step stopping at layer 1 (later layers switched off).
     */
    @ParameterizedTest
    @MethodSource("models")
    void stepsSplitIntoSeveralExecutionsMatchCpuBackend(String name) {
        java.util.Map<String, String> small = java.util.Map.of("maxRows", "32", "captureRows", "32", "logitRows", "3");
        small.forEach((k, v) -> System.setProperty(TornadoSettings.PREFIX + k, v));
        try (LoadedModel cpu = LoadedModel.open(model(name), "cpu"); LoadedModel gpu = LoadedModel.open(model(name), "tornado")) {
            int layers = cpu.config().numLayers();
            int[] input = sequence(name, "B");
            assertTrue(input.length > 16, "a sequence long enough that two capture points overflow 32 rows");
            SequenceOutput e = cpu.forward().run(List.of(input), everything(layers)).getFirst();
            SequenceOutput a = gpu.forward().run(List.of(input), everything(layers)).getFirst();
            for (int k = 0; k <= layers; k++) {
                check(name + " split hidden_states." + k, a.hidden(k, Pooling.ALL), e.hidden(k, Pooling.ALL), TOLERANCE);
            }
            check(name + " split raw last layer", a.rawLastLayer(), e.rawLastLayer(), TOLERANCE);
            check(name + " split logits in chunks", a.logits(), e.logits(), TOLERANCE);

            CaptureRequest early = new CaptureRequest(new int[]{1}, new Pooling[]{Pooling.LAST, Pooling.MEAN}, false, CaptureRequest.Logits.NONE);
            SequenceOutput eEarly = cpu.forward().run(List.of(input), early).getFirst();
            SequenceOutput aEarly = gpu.forward().run(List.of(input), early).getFirst();
            for (Pooling p : early.poolings()) {
                check(name + " stop at layer 1 " + p, aEarly.hidden(1, p), eEarly.hidden(1, p), TOLERANCE);
            }

            // captures requested for no rows: empty, as on the CPU backend; logits still computed
            StepOutput[] outs = new StepOutput[2];
            LoadedModel[] both = {cpu, gpu};
            for (int i = 0; i < 2; i++) {
                ForwardDriver t = both[i].forward();
                try (KvSequence seq = t.cache().open()) {
                    outs[i] = t.step(new StepRequest(new Step(new int[]{input[0]}, new int[]{seq.id()}, new int[]{0}), new int[]{0, layers},
                            new int[0], true, new int[]{0}, true));
                }
            }
            assertEquals(outs[0].hidden().keySet(), outs[1].hidden().keySet(), name + " captured indices for no rows");
            for (int k : outs[1].hidden().keySet()) assertEquals(0, outs[1].hidden().get(k).length);
            assertEquals(0, outs[1].rawLastLayer().length);
            check(name + " logits with no captured rows", outs[1].logits(), outs[0].logits(), TOLERANCE);
        } finally {
            small.keySet().forEach(k -> System.clearProperty(TornadoSettings.PREFIX + k));
        }
    }

    /**
     * A 24-layer model (synthesized, small widths) in one graph of 9 x 24 + 5 tasks: every layer, logits and
     * greedy tokens against the CPU backend.
     */
    @org.junit.jupiter.api.Test
    void deepModelRunsAsOneGraph(@org.junit.jupiter.api.io.TempDir Path dir) {
        dev.srr.model.SynthPreset preset = dev.srr.model.SynthPreset.named("qwen2.5-0.5b").with(24, 64, 128, 4, 2, 300);
        dev.srr.model.Synthesizer.write(preset, dev.srr.tensor.DType.F32, 7, 1L << 30, dir, bytes -> { });
        System.setProperty(TornadoSettings.PREFIX + "context", "64");
        try (LoadedModel cpu = LoadedModel.open(dir, "cpu"); LoadedModel gpu = LoadedModel.open(dir, "tornado")) {
            int[] input = {5, 17, 250, 3, 99, 1, 42};
            SequenceOutput e = cpu.forward().run(List.of(input), everything(24)).getFirst();
            SequenceOutput a = gpu.forward().run(List.of(input), everything(24)).getFirst();
            for (int k = 0; k <= 24; k++) {
                check("deep hidden_states." + k, a.hidden(k, Pooling.ALL), e.hidden(k, Pooling.ALL), TOLERANCE);
            }
            check("deep logits", a.logits(), e.logits(), TOLERANCE);
            assertArrayEquals(GreedyDecoder.continueGreedy(cpu.forward(), input, 8, new int[0]),
                    GreedyDecoder.continueGreedy(gpu.forward(), input, 8, new int[0]), "deep model greedy tokens vs CPU");
        } finally {
            System.clearProperty(TornadoSettings.PREFIX + "context");
        }
    }

    @AfterAll
    static void report() {
        System.out.printf("TornadoForwardTest: worst relative error %.3e at %s%n", worst, worstWhere);
        System.out.printf("TornadoForwardTest: RAW16 weights, worst relative error %.3e at %s%n", worstRaw16, worstRaw16Where);
    }
}
