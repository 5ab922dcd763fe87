package dev.srr.engine;

import dev.srr.TestData;
import dev.srr.compute.Backends;
import dev.srr.model.Checkpoint;
import dev.srr.model.GgufWeights;
import dev.srr.tensor.DType;
import dev.srr.tokenizer.ModelTokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SmolLM2-135M-Instruct (Q4_1 matrices, Q8_0 embeddings) computed from its blocks in place against the same file
 * dequantized to float32 at load ({@code -Dsrr.gguf.dtype=f32}, the path llama.cpp-checked in SmolLm2ParityTest):
 * greedy continuations, top-1 at every prompt position and the logits themselves, plus run-to-run determinism.
 */
class InPlaceQuantParityTest {
    static final List<String> PROMPTS = List.of(
            "<|im_start|>user\nWhat is the capital of France?<|im_end|>\n<|im_start|>assistant\n",
            "<|im_start|>user\nWrite a haiku about the sea.<|im_end|>\n<|im_start|>assistant\n",
            "The three primary colors are",
            // past MatMul.GEMM_MIN_TOKENS: the prompt runs on the panel GEMM with block-type panels
            "<|im_start|>user\nSummarise in two sentences: the river rises in the mountains, runs through forests and "
                    + "farmland, turns the wheels of three old mills, passes under seven bridges and reaches the sea at a "
                    + "wide, muddy estuary full of birds.<|im_end|>\n<|im_start|>assistant\n");
    static LoadedModel inPlace;
    static LoadedModel dequantized;
    static ModelTokenizer tokenizer;

    static LoadedModel open(DType expand) {
        Checkpoint ck = Checkpoint.openGguf(TestData.smolLm2(), expand);
        return new LoadedModel(ck, new ForwardDriver(ck.config(), Backends.create("cpu", ck.config(), ck.weights())));
    }

    @BeforeAll
    static void load() {
        System.clearProperty(GgufWeights.DTYPE_PROPERTY);
        inPlace = open(null);
        tokenizer = ModelTokenizer.load(TestData.smolLm2());
        dequantized = open(DType.F32);
        assertEquals(DType.Q4_1, inPlace.checkpoint().weights().all().get("model.layers.0.mlp.up_proj.weight").dtype());
        assertEquals(DType.F32, dequantized.checkpoint().weights().all().get("model.layers.0.mlp.up_proj.weight").dtype());
    }

    @AfterAll
    static void close() {
        inPlace.close();
        dequantized.close();
    }

    static int[] ids(String text) {
        return tokenizer.encode(text, false);
    }

    private static float[] logits(LoadedModel m, int[] ids) {
        CaptureRequest req = new CaptureRequest(new int[0], new Pooling[]{Pooling.ALL}, false, CaptureRequest.Logits.ALL);
        return m.forward().run(List.of(ids), req).getFirst().logits();
    }

    @Test
    void greedyContinuationsAreIdentical() {
        for (String p : PROMPTS) {
            int[] prompt = ids(p);
            int[] a = GreedyDecoder.continueGreedy(inPlace.forward(), prompt, 32, new int[]{2});
            int[] b = GreedyDecoder.continueGreedy(dequantized.forward(), prompt, 32, new int[]{2});
            assertArrayEquals(b, a, p);
            assertTrue(a.length >= 8, "a real continuation: " + a.length + " tokens");
        }
    }

    @Test
    void logitsAgreeAtEveryPromptPosition() {
        int vocab = inPlace.config().vocabSize();
        double worst = 0;
        for (String p : PROMPTS) {
            int[] prompt = ids(p);
            float[] a = logits(inPlace, prompt);
            float[] b = logits(dequantized, prompt);
            for (int t = 0; t < prompt.length; t++) {
                float[] ra = Arrays.copyOfRange(a, t * vocab, (t + 1) * vocab);
                float[] rb = Arrays.copyOfRange(b, t * vocab, (t + 1) * vocab);
                assertEquals(GreedyDecoder.argmax(rb), GreedyDecoder.argmax(ra), p + " position " + t);
                double scale = 0, diff = 0;
                for (int i = 0; i < vocab; i++) {
                    scale = Math.max(scale, Math.abs(rb[i]));
                    diff = Math.max(diff, Math.abs(ra[i] - rb[i]));
                }
                worst = Math.max(worst, diff / scale);
            }
        }
        System.out.printf("InPlaceQuantParityTest: worst logit difference in place vs dequantized f32: %.2e of max |logit|%n", worst);
        // the block kernels decode to the dequantized values and sum in the F32 kernels' order (decode, small steps)
        // or run the same panel GEMM on the same unpacked floats (prompts): the documented promise is the same bits
        assertTrue(ids(PROMPTS.getLast()).length >= dev.srr.compute.MatMul.GEMM_MIN_TOKENS, "a prompt for the GEMM path");
        for (String p : PROMPTS) {
            int[] prompt = ids(p);
            assertArrayEquals(logits(dequantized, prompt), logits(inPlace, prompt), p + ": in place gives other bits than f32");
        }
    }

    @Test
    void twoRunsGiveTheSameBits() {
        int[] prompt = ids(PROMPTS.get(1));
        assertArrayEquals(logits(inPlace, prompt), logits(inPlace, prompt));
        int[] a = GreedyDecoder.continueGreedy(inPlace.forward(), prompt, 16, new int[]{2});
        int[] b = GreedyDecoder.continueGreedy(inPlace.forward(), prompt, 16, new int[]{2});
        assertArrayEquals(a, b);
    }
}
