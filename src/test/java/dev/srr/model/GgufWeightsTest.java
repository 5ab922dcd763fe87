package dev.srr.model;

import dev.srr.SrrException;
import dev.srr.TestData;
import dev.srr.tensor.DType;
import dev.srr.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How quantized GGUF tensors are loaded: in place as their blocks by default, or expanded to exact float32 (auto,
 * here), bfloat16 or float16 on request.
 */
class GgufWeightsTest {
    @AfterEach
    void clear() {
        System.clearProperty(GgufWeights.DTYPE_PROPERTY);
    }

    @Test
    void blocksStayInPlaceByDefaultWithTheDequantizedValuesAndHuggingFaceRowOrder() {
        String q = LayerTensor.Q_PROJ.name(3);
        String v = LayerTensor.V_PROJ.name(3);
        float[] qExact, vExact, embedExact;
        System.setProperty(GgufWeights.DTYPE_PROPERTY, "f32");
        try (Checkpoint ck = Checkpoint.open(TestData.smolLm2())) {
            qExact = ck.weights().all().get(q).toFloatArray();
            vExact = ck.weights().all().get(v).toFloatArray();
            embedExact = ck.weights().all().get(ModelWeights.EMBED).toFloatArray();
        }
        System.clearProperty(GgufWeights.DTYPE_PROPERTY);
        try (Checkpoint ck = Checkpoint.open(TestData.smolLm2())) {
            Tensor tq = ck.weights().all().get(q);
            assertEquals(DType.Q4_1, tq.dtype());
            assertEquals(DType.Q8_0, ck.weights().all().get(ModelWeights.EMBED).dtype(), "token_embd is Q8_0 in this file");
            // q rows are permuted back (copied whole rows of blocks), v is the mapped file itself
            assertArrayEquals(qExact, tq.toFloatArray());
            assertArrayEquals(vExact, ck.weights().all().get(v).toFloatArray());
            Tensor embed = ck.weights().all().get(ModelWeights.EMBED);
            float[] row = new float[40];
            embed.copyTo(576L * 1234 + 20, row); // a range across block boundaries, inside one embedding row
            for (int i = 0; i < row.length; i++) assertEquals(embedExact[576 * 1234 + 20 + i], row[i], 0f);
            assertEquals(embedExact[576 * 49151 + 575], embed.get(576L * 49151 + 575), 0f);
        }
    }

    @Test
    void smallModelsExpandToFloat32AndBf16IsEachFloat32ValueRoundedOnce() {
        String q = LayerTensor.Q_PROJ.name(3);
        float[] exact;
        System.setProperty(GgufWeights.DTYPE_PROPERTY, "auto");
        try (Checkpoint ck = Checkpoint.open(TestData.smolLm2())) {
            Tensor t = ck.weights().all().get(q);
            assertEquals(DType.F32, t.dtype(), "auto: 0.5 GB of float32 is well under a quarter of the memory");
            exact = t.toFloatArray();
        }
        System.setProperty(GgufWeights.DTYPE_PROPERTY, "bf16");
        try (Checkpoint ck = Checkpoint.open(TestData.smolLm2())) {
            Tensor t = ck.weights().all().get(q);
            assertEquals(DType.BF16, t.dtype());
            assertEquals(DType.F32, ck.weights().all().get(ModelWeights.FINAL_NORM).dtype(), "F32 norms stay in place");
            for (int i = 0; i < exact.length; i++) {
                assertEquals(Tensor.bf16ToFloat(Tensor.floatToBf16(exact[i])), t.get(i), 0f, "value " + i);
            }
        }
    }

    @Test
    void anUnknownDtypeNamesTheProperty() {
        System.setProperty(GgufWeights.DTYPE_PROPERTY, "int4");
        SrrException e = assertThrows(SrrException.class, () -> Checkpoint.open(TestData.smolLm2()).close());
        assertTrue(e.getMessage().contains("-Dsrr.gguf.dtype=int4: use inplace, auto, f32, bf16 or f16"), e.getMessage());
    }
}
