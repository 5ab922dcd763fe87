package dev.srr.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.srr.TestData;
import dev.srr.compute.KvSequence;
import dev.srr.compute.Step;
import dev.srr.compute.StepRequest;
import dev.srr.compute.StepOutput;
import dev.srr.io.Json;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The KV cache, batching and both config styles give the numbers of one fresh full forward. */
class ForwardConsistencyTest {

    static List<String> models() {
        return TestData.GOLDEN_MODELS;
    }

    private static int[] sequence(String model, String name) {
        JsonNode ref = Json.read(TestData.goldenModel(model).resolve("reference.json")).get("sequences");
        return GoldenParityTest.ids(ref.get(name).get("input_ids"));
    }

    private static CaptureRequest everything(int layers) {
        return new CaptureRequest(IntStream.rangeClosed(0, layers).toArray(), new Pooling[]{Pooling.ALL}, false,
                CaptureRequest.Logits.ALL);
    }

    @ParameterizedTest
    @MethodSource("models")
    void incrementalDecodingWithKvCacheEqualsFullRecomputation(String name) {
        int[] tokens = sequence(name, "B");
        try (LoadedModel m = LoadedModel.open(TestData.goldenModel(name).resolve("model"), "cpu")) {
            ForwardDriver t = m.forward();
            int layers = m.config().numLayers();
            int d = m.config().hiddenSize();
            int vocab = m.config().vocabSize();
            SequenceOutput full = t.run(List.of(tokens), everything(layers)).getFirst();
            int prefix = 5;
            KvSequence seq = t.cache().open();
            t.append(List.of(java.util.Arrays.copyOf(tokens, prefix)), List.of(seq), everything(layers));
            double worst = 0;
            for (int p = prefix; p < tokens.length; p++) {
                StepOutput o = t.step(StepRequest.logits(new Step(new int[]{tokens[p]}, new int[]{seq.id()}, new int[]{p}), 0)
                        .capturing(IntStream.rangeClosed(0, layers).toArray(), new int[]{0}));
                for (int k = 0; k <= layers; k++) {
                    float[] expected = java.util.Arrays.copyOfRange(full.hidden(k, Pooling.ALL), p * d, (p + 1) * d);
                    worst = Math.max(worst, TestData.relativeError(o.hidden().get(k), expected));
                }
                float[] expectedLogits = java.util.Arrays.copyOfRange(full.logits(), p * vocab, (p + 1) * vocab);
                worst = Math.max(worst, TestData.relativeError(o.logits(), expectedLogits));
            }
            seq.close();
            System.out.printf("%s: KV-cache decode vs full forward, worst relative error %.2e%n", name, worst);
            assertTrue(worst <= 1e-6, "worst relative error " + worst);
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void batchedPrefillOfDifferentLengthsEqualsOneAtATime(String name) {
        int[] a = sequence(name, "A");
        int[] b = sequence(name, "B");
        try (LoadedModel m = LoadedModel.open(TestData.goldenModel(name).resolve("model"), "cpu")) {
            ForwardDriver t = m.forward();
            int layers = m.config().numLayers();
            CaptureRequest req = new CaptureRequest(IntStream.rangeClosed(0, layers).toArray(),
                    new Pooling[]{Pooling.ALL, Pooling.LAST, Pooling.MEAN}, true, CaptureRequest.Logits.ALL);
            List<SequenceOutput> batched = t.run(List.of(b, a, b), req);
            SequenceOutput soloA = t.run(List.of(a), req).getFirst();
            SequenceOutput soloB = t.run(List.of(b), req).getFirst();
            double worst = 0;
            for (var pair : List.of(List.of(batched.get(0), soloB), List.of(batched.get(1), soloA), List.of(batched.get(2), soloB))) {
                for (Pooling p : Pooling.values()) {
                    for (int k = 0; k <= layers; k++) {
                        worst = Math.max(worst, TestData.relativeError(pair.get(0).hidden(k, p), pair.get(1).hidden(k, p)));
                    }
                }
                worst = Math.max(worst, TestData.relativeError(pair.get(0).logits(), pair.get(1).logits()));
                worst = Math.max(worst, TestData.relativeError(pair.get(0).rawLastLayer(), pair.get(1).rawLastLayer()));
            }
            System.out.printf("%s: batched vs single prefill, worst relative error %.2e%n", name, worst);
            assertTrue(worst <= 1e-6, "worst relative error " + worst);
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void poolingsAreTheLastRowAndTheMeanOfAllRows(String name) {
        int[] b = sequence(name, "B");
        try (LoadedModel m = LoadedModel.open(TestData.goldenModel(name).resolve("model"), "cpu")) {
            int d = m.config().hiddenSize();
            int layer = m.config().quarterLayer();
            CaptureRequest req = new CaptureRequest(new int[]{layer}, new Pooling[]{Pooling.ALL, Pooling.LAST, Pooling.MEAN}, false,
                    CaptureRequest.Logits.NONE);
            SequenceOutput o = m.forward().run(List.of(b), req).getFirst();
            float[] all = o.hidden(layer, Pooling.ALL);
            float[] mean = new float[d];
            for (int t = 0; t < b.length; t++) for (int j = 0; j < d; j++) mean[j] += all[t * d + j] / b.length;
            assertTrue(TestData.relativeError(o.hidden(layer, Pooling.MEAN), mean) < 1e-6);
            assertArrayEquals(java.util.Arrays.copyOfRange(all, (b.length - 1) * d, b.length * d), o.hidden(layer, Pooling.LAST));
            // LAST alone reads only the last rows and must agree with the full capture
            SequenceOutput lastOnly = m.forward().run(List.of(b), CaptureRequest.of(new int[]{layer}, Pooling.LAST)).getFirst();
            assertArrayEquals(o.hidden(layer, Pooling.LAST), lastOnly.hidden(layer, Pooling.LAST));
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void legacyConfigKeysLoadToTheSameNumbers(String name, @TempDir Path tmp) throws IOException {
        Path golden = TestData.goldenModel(name);
        Path modern = golden.resolve("model");
        // published checkpoints in the older style carry model_type too; the golden legacy file lists only shapes
        ObjectNode legacy = (ObjectNode) Json.read(golden.resolve("config.legacy.json"));
        legacy.put("model_type", Json.read(modern.resolve("config.json")).get("model_type").asText());
        Files.writeString(tmp.resolve("config.json"), Json.write(legacy));
        Files.copy(modern.resolve("model.safetensors"), tmp.resolve("model.safetensors"));
        int[] b = sequence(name, "B");
        try (LoadedModel m1 = LoadedModel.open(modern, "cpu"); LoadedModel m2 = LoadedModel.open(tmp, "cpu")) {
            int layers = m1.config().numLayers();
            SequenceOutput o1 = m1.forward().run(List.of(b), everything(layers)).getFirst();
            SequenceOutput o2 = m2.forward().run(List.of(b), everything(layers)).getFirst();
            assertArrayEquals(o1.logits(), o2.logits());
            for (int k = 0; k <= layers; k++) assertArrayEquals(o1.hidden(k, Pooling.ALL), o2.hidden(k, Pooling.ALL));
        }
    }
}
