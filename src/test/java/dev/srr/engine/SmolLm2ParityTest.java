package dev.srr.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.srr.TestData;
import dev.srr.io.Json;
import dev.srr.io.SafetensorsFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real default model, SmolLM2-135M-Instruct from its Q4_1 GGUF, against independent references
 * ({@code scripts/gen-gguf-references.py}): every hidden state and the logits against a float64 numpy forward over
 * {@code gguf}'s dequantized weights written in llama.cpp's own layout; logits and greedy continuations against
 * llama.cpp on the same values in float32 (weights expanded to F32, float32 KV cache); and against llama.cpp on the
 * Q4_1 file itself, where ggml quantizes activations to 8 bits, by top-1 agreement only.
 */
class SmolLm2ParityTest {
    static LoadedModel model;
    static JsonNode llamaCpp;

    @BeforeAll
    static void open() {
        model = LoadedModel.open(TestData.smolLm2(), "cpu");
        llamaCpp = Json.read(TestData.resource("gguf/smollm2-llamacpp.json"));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static int[] ids(JsonNode n) {
        int[] out = new int[n.size()];
        for (int i = 0; i < out.length; i++) out[i] = n.get(i).asInt();
        return out;
    }

    private SequenceOutput forward(int[] ids, CaptureRequest.Logits logits, int[] layers) {
        CaptureRequest req = new CaptureRequest(layers, new Pooling[]{Pooling.ALL}, false, logits);
        return model.forward().run(List.of(ids), req).getFirst();
    }

    @Test
    void everyHiddenStateMatchesAFloat64ForwardWithin1e4() {
        int layers = model.config().numLayers();
        int d = model.config().hiddenSize();
        double worst = 0;
        String worstAt = "";
        try (SafetensorsFile ref = SafetensorsFile.open(TestData.resource("gguf/smollm2-hidden.safetensors"))) {
            for (int p = 0; p < 2; p++) {
                float[] stored = ref.get("p" + p + ".ids").toFloatArray();
                int[] ids = new int[stored.length];
                for (int i = 0; i < ids.length; i++) ids[i] = (int) stored[i];
                SequenceOutput out = forward(ids, CaptureRequest.Logits.LAST, IntStream.rangeClosed(0, layers).toArray());
                for (int k = 0; k <= layers; k++) {
                    float[] all = out.hidden(k, Pooling.ALL);
                    float[] last4 = Arrays.copyOfRange(all, all.length - 4 * d, all.length);
                    double err = TestData.relativeError(last4, ref.get("p" + p + ".hidden_states." + k).toFloatArray());
                    if (err > worst) {
                        worst = err;
                        worstAt = "prompt " + p + " hidden_states." + k;
                    }
                    assertTrue(err < 1e-4, "prompt " + p + " hidden_states." + k + ": relative error " + err);
                }
                double err = TestData.relativeError(out.logits(), ref.get("p" + p + ".logits").toFloatArray());
                System.out.printf("SmolLm2ParityTest: prompt %d logits vs float64 forward: relative error %.2e%n", p, err);
                assertTrue(err < 1e-4, "prompt " + p + " logits: relative error " + err);
            }
        }
        System.out.printf("SmolLm2ParityTest: worst hidden-state relative error vs float64 forward %.2e at %s%n", worst, worstAt);
    }

    /** For each prompt: top-1 agreement at every position and the relative error of the last position's logits. */
    private void compareWithLlamaCpp(String tag, boolean strict) {
        try (SafetensorsFile ref = SafetensorsFile.open(TestData.resource("gguf/smollm2-llamacpp.safetensors"))) {
            JsonNode runs = llamaCpp.get(tag);
            int positions = 0, agree = 0;
            double worst = 0, worstTop5 = 0;
            for (int p = 0; p < runs.size(); p++) {
                int[] ids = ids(runs.get(p).get("ids"));
                float[] logits = forward(ids, CaptureRequest.Logits.ALL, new int[0]).logits();
                int vocab = model.config().vocabSize();
                float[] topIds = ref.get(tag + ".p" + p + ".top5_ids").toFloatArray();
                float[] topLogits = ref.get(tag + ".p" + p + ".top5_logits").toFloatArray();
                for (int t = 0; t < ids.length; t++) {
                    float[] row = Arrays.copyOfRange(logits, t * vocab, (t + 1) * vocab);
                    int expected = (int) topIds[t * 5];
                    positions++;
                    if (GreedyDecoder.argmax(row) == expected) agree++;
                    else if (strict) throw new AssertionError(tag + " prompt " + p + " position " + t + ": srr top-1 "
                            + GreedyDecoder.argmax(row) + ", llama.cpp " + expected);
                    double scale = Math.abs(topLogits[t * 5]);
                    for (int j = 0; j < 5; j++) {
                        worstTop5 = Math.max(worstTop5, Math.abs(row[(int) topIds[t * 5 + j]] - topLogits[t * 5 + j]) / scale);
                    }
                }
                float[] last = Arrays.copyOfRange(logits, (ids.length - 1) * vocab, ids.length * vocab);
                worst = Math.max(worst, TestData.relativeError(last, ref.get(tag + ".p" + p + ".last_logits").toFloatArray()));
            }
            System.out.printf("SmolLm2ParityTest: llama.cpp %s: top-1 equal at %d/%d positions, last-position logits relative "
                    + "error %.2e, top-5 logits %.2e%n", tag, agree, positions, worst, worstTop5);
            if (strict) {
                assertTrue(worst < 1e-4, "logits relative error " + worst);
            } else {
                // ggml rounds activations to 8 bits per block of 32 before each quantized product: a different
                // computation, so only the decisions are compared (the float32 run above checks the values)
                assertTrue(agree >= 0.95 * positions, "top-1 agreement with quantized llama.cpp " + agree + "/" + positions);
            }
        }
    }

    @Test
    void logitsMatchLlamaCppInFloat32AtEveryPosition() {
        compareWithLlamaCpp("f32", true);
    }

    @Test
    void logitsStayCloseToLlamaCppOnTheQuantizedFile() {
        compareWithLlamaCpp("q4_1", false);
    }

    @Test
    void greedyContinuationsEqualLlamaCpp() {
        for (JsonNode run : llamaCpp.get("f32")) {
            int[] expected = ids(run.get("greedy"));
            int[] actual = GreedyDecoder.continueGreedy(model.forward(), ids(run.get("ids")), expected.length, new int[]{2});
            assertArrayEquals(expected, actual, run.get("greedy_text").asText());
        }
        int longest = 0;
        for (JsonNode run : llamaCpp.get("f32")) longest = Math.max(longest, run.get("greedy").size());
        assertTrue(longest >= 32, "at least one continuation of 32 tokens or more");
    }

    @Test
    void theCapitalOfFranceIsParis() {
        JsonNode run = llamaCpp.get("f32").get(0);
        assertTrue(run.get("text").asText().contains("What is the capital of France?"));
        assertEquals("The capital of France is Paris.", run.get("greedy_text").asText());
    }
}
