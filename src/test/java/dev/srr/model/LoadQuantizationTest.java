package dev.srr.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.srr.SrrException;
import dev.srr.TestData;
import dev.srr.engine.CaptureRequest;
import dev.srr.engine.GreedyDecoder;
import dev.srr.engine.LoadedModel;
import dev.srr.engine.Pooling;
import dev.srr.io.Json;
import dev.srr.io.SafetensorsFile;
import dev.srr.tensor.DType;
import dev.srr.tensor.Q8Quantizer;
import dev.srr.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Q8_0 quantization at load ({@code -Dsrr.quantize=q8_0}): blocks bit for bit those of {@code gguf.quants.quantize}
 * (fixture from {@code scripts/gen-q8-fixture.py}: Gaussian rows at several scales, a zero block, exact halves, an
 * outlier), from float32 and from bfloat16, and a BF16 checkpoint quantized end to end.
 */
class LoadQuantizationTest {
    static final int ROWS = 6, COLS = 128;

    @AfterEach
    void clear() {
        System.clearProperty(LoadQuantization.PROPERTY);
    }

    static float[] input() throws IOException {
        byte[] raw = Files.readAllBytes(TestData.resource("quant/q8_0-input.f32"));
        float[] x = new float[ROWS * COLS];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(x);
        return x;
    }

    static byte[] expected() throws IOException {
        byte[] b = Files.readAllBytes(TestData.resource("quant/q8_0-expected.bin"));
        assertEquals(ROWS * COLS / 32 * 34, b.length);
        return b;
    }

    static byte[] bytes(MemorySegment s) {
        return s.toArray(ValueLayout.JAVA_BYTE);
    }

    @Test
    void float32RowsQuantizeToGgufsBlocksBitForBit() throws IOException {
        float[] x = input();
        MemorySegment out = Arena.ofAuto().allocate(ROWS * DType.Q8_0.rowBytes(COLS));
        for (int r = 0; r < ROWS; r++) Q8Quantizer.quantize(x, r * COLS, COLS, out, r * DType.Q8_0.rowBytes(COLS));
        assertArrayEquals(expected(), bytes(out));
    }

    @Test
    void aBf16MatrixGivesTheSameBlocks() throws IOException {
        float[] x = input();
        MemorySegment seg = Arena.ofAuto().allocate(x.length * 2L);
        for (int i = 0; i < x.length; i++) {
            seg.set(Tensor.I16_LE, i * 2L, Tensor.floatToBf16(x[i]));
            assertEquals(x[i], Tensor.bf16ToFloat(Tensor.floatToBf16(x[i])), 0f, "fixture values are bfloat16");
        }
        Tensor q;
        try (Arena arena = Arena.ofConfined()) {
            q = LoadQuantization.toQ8_0(new Tensor("w", DType.BF16, new long[]{ROWS, COLS}, seg), arena);
            assertEquals(DType.Q8_0, q.dtype());
            assertArrayEquals(expected(), bytes(q.data()));
        }
    }

    @Test
    void aBf16CheckpointComputesFromQ8_0Projections() {
        var dir = TestData.goldenModel("llama-tiny-bf16");
        JsonNode ref = Json.read(dir.resolve("reference.json")).get("sequences");
        int[] ids = ids(ref.get("A").get("input_ids"));
        CaptureRequest req = new CaptureRequest(new int[0], new Pooling[]{Pooling.ALL}, false, CaptureRequest.Logits.ALL);
        float[] plain;
        try (LoadedModel m = LoadedModel.open(dir.resolve("model"), "cpu")) {
            plain = m.forward().run(List.of(ids), req).getFirst().logits();
        }
        System.setProperty(LoadQuantization.PROPERTY, "q8_0");
        try (LoadedModel m = LoadedModel.open(dir.resolve("model"), "cpu");
             SafetensorsFile expected = SafetensorsFile.open(dir.resolve("reference.safetensors"))) {
            var all = m.checkpoint().weights().all();
            assertEquals(DType.Q8_0, all.get(LayerTensor.Q_PROJ.name(0)).dtype());
            assertEquals(DType.Q8_0, all.get(LayerTensor.DOWN_PROJ.name(2)).dtype());
            assertEquals(DType.BF16, all.get(ModelWeights.EMBED).dtype(), "embeddings stay as they are");
            assertEquals(DType.BF16, all.get(LayerTensor.INPUT_LAYERNORM.name(0)).dtype(), "vectors stay as they are");
            float[] q8 = m.forward().run(List.of(ids), req).getFirst().logits();
            float[] transformers = expected.get("A.logits").toFloatArray();
            double err = TestData.relativeError(q8, transformers);
            System.out.printf("LoadQuantizationTest: Q8_0 logits vs transformers (bf16 weights): relative error %.2e (unquantized %.2e)%n",
                    err, TestData.relativeError(plain, transformers));
            // 8-bit weights (up to 0.4% per weight) through 3 layers of a random tiny model: 1.9e-2 measured
            assertTrue(err < 4e-2, "relative error " + err);
            assertTrue(err > 1e-7, "the projections really were quantized");
            int vocab = m.config().vocabSize();
            for (int t = 0; t < ids.length; t++) {
                assertEquals(GreedyDecoder.argmax(Arrays.copyOfRange(plain, t * vocab, (t + 1) * vocab)),
                        GreedyDecoder.argmax(Arrays.copyOfRange(q8, t * vocab, (t + 1) * vocab)), "top-1 at position " + t);
            }
        }
    }

    static int[] ids(JsonNode n) {
        int[] out = new int[n.size()];
        for (int i = 0; i < out.length; i++) out[i] = n.get(i).asInt();
        return out;
    }

    @Test
    void anUnknownTypeNamesTheProperty() {
        System.setProperty(LoadQuantization.PROPERTY, "q4_0");
        SrrException e = assertThrows(SrrException.class, () -> Checkpoint.open(TestData.goldenModel("llama-tiny-bf16").resolve("model")).close());
        assertTrue(e.getMessage().contains("-Dsrr.quantize=q4_0: use q8_0 or none"), e.getMessage());
    }
}
