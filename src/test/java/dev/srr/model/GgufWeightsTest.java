package dev.srr.model;

import dev.srr.SrrException;
import dev.srr.TestData;
import dev.srr.tensor.DType;
import dev.srr.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dtype quantized GGUF tensors are expanded to: exact float32 by default here, bfloat16 or float16 on request. */
class GgufWeightsTest {
    @AfterEach
    void clear() {
        System.clearProperty(GgufWeights.DTYPE_PROPERTY);
    }

    @Test
    void smallModelsExpandToFloat32AndBf16IsEachFloat32ValueRoundedOnce() {
        String q = LayerTensor.Q_PROJ.name(3);
        float[] exact;
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
        assertTrue(e.getMessage().contains("-Dsrr.gguf.dtype=int4: use auto, f32, bf16 or f16"), e.getMessage());
    }
}
