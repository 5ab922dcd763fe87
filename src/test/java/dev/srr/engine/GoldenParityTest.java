package dev.srr.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.srr.TestData;
import dev.srr.io.Json;
import dev.srr.io.SafetensorsFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The forward matches Hugging Face transformers' float32 outputs for the four tiny golden checkpoints, loaded from
 * their Hugging Face folders and from GGUF files written as llama.cpp's converter writes them (q/k rows permuted
 * for the llama architecture, llama3 RoPE as {@code rope_freqs}; {@code scripts/gen-gguf-references.py}), so the
 * GGUF path's config, tensor mapping and row order are checked against transformers itself.
 */
class GoldenParityTest {
    static final double TOLERANCE = 1e-5;
    static double worst = 0;
    static String worstWhere = "";

    static List<String> models() {
        List<String> all = new java.util.ArrayList<>(TestData.GOLDEN_MODELS);
        for (String m : TestData.GOLDEN_MODELS) all.add("gguf:" + m);
        all.add("gguf:qwen2-tiny-f16.v2-align64");
        return all;
    }

    /** The golden folder of a model name ("gguf:" prefix and file variant stripped). */
    static Path goldenDir(String name) {
        String base = name.startsWith("gguf:") ? name.substring(5) : name;
        int dot = base.indexOf('.');
        return TestData.goldenModel(dot < 0 ? base : base.substring(0, dot));
    }

    /** What to load: the Hugging Face folder, or the GGUF file written from it. */
    static Path checkpoint(String name) {
        return name.startsWith("gguf:") ? TestData.resource("gguf/tiny-" + name.substring(5) + ".gguf")
                : goldenDir(name).resolve("model");
    }

    static int[] ids(JsonNode node) {
        int[] out = new int[node.size()];
        for (int i = 0; i < out.length; i++) out[i] = node.get(i).asInt();
        return out;
    }

    private static void check(String where, float[] actual, float[] reference) {
        double err = TestData.relativeError(actual, reference);
        synchronized (GoldenParityTest.class) {
            if (err > worst) {
                worst = err;
                worstWhere = where;
            }
        }
        assertTrue(err <= TOLERANCE, where + ": relative error " + err + " > " + TOLERANCE);
    }

    @ParameterizedTest
    @MethodSource("models")
    void hiddenStatesRawLayersAndLogitsMatchTransformers(String name) {
        Path dir = goldenDir(name);
        JsonNode ref = Json.read(dir.resolve("reference.json")).get("sequences");
        try (LoadedModel model = LoadedModel.open(checkpoint(name), "cpu");
             SafetensorsFile expected = SafetensorsFile.open(dir.resolve("reference.safetensors"))) {
            int layers = model.config().numLayers();
            for (String seq : List.of("A", "B")) {
                int[] input = ids(ref.get(seq).get("input_ids"));
                CaptureRequest all = new CaptureRequest(IntStream.rangeClosed(0, layers).toArray(),
                        new Pooling[]{Pooling.ALL}, true, CaptureRequest.Logits.ALL);
                SequenceOutput out = model.forward().run(List.of(input), all).getFirst();
                for (int k = 0; k <= layers; k++) {
                    check(name + " " + seq + " hidden_states." + k, out.hidden(k, Pooling.ALL),
                            expected.get(seq + ".hidden_states." + k).toFloatArray());
                }
                check(name + " " + seq + " embed", out.hidden(0, Pooling.ALL), expected.get(seq + ".embed").toFloatArray());
                for (int i = 0; i < layers - 1; i++) {
                    check(name + " " + seq + " layer." + i, out.hidden(i + 1, Pooling.ALL), expected.get(seq + ".layer." + i).toFloatArray());
                }
                check(name + " " + seq + " layer." + (layers - 1) + " (raw)", out.rawLastLayer(),
                        expected.get(seq + ".layer." + (layers - 1)).toFloatArray());
                check(name + " " + seq + " norm", out.hidden(layers, Pooling.ALL), expected.get(seq + ".norm").toFloatArray());
                check(name + " " + seq + " logits", out.logits(), expected.get(seq + ".logits").toFloatArray());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void greedyContinuationWithKvCacheEqualsTransformers(String name) {
        Path dir = goldenDir(name);
        JsonNode ref = Json.read(dir.resolve("reference.json")).get("sequences");
        try (LoadedModel model = LoadedModel.open(checkpoint(name), "cpu")) {
            for (String seq : List.of("A", "B")) {
                int[] input = ids(ref.get(seq).get("input_ids"));
                int[] expected = ids(ref.get(seq).get("greedy_new_ids"));
                int[] actual = GreedyDecoder.continueGreedy(model.forward(), input, expected.length, new int[0]);
                assertArrayEquals(expected, actual, name + " " + seq + " greedy tokens");
            }
        }
    }

    @AfterAll
    static void report() {
        System.out.printf("GoldenParityTest: worst relative error %.3e at %s%n", worst, worstWhere);
    }
}
