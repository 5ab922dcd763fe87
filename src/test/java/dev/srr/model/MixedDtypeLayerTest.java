package dev.srr.model;

import dev.srr.TestData;
import dev.srr.compute.Backends;
import dev.srr.engine.CaptureRequest;
import dev.srr.engine.ForwardDriver;
import dev.srr.engine.Pooling;
import dev.srr.tensor.DType;
import dev.srr.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A layer whose fused projections mix activation layouts: q_proj and gate_proj Q8_0 (natural layout) beside BF16
 * k/v/up (paired layout), as a llama.cpp file mixing types within a layer would. The CPU backend then packs the
 * input once per layout; the result must be the bits of the same model with those two matrices as the F32 values
 * the Q8_0 blocks decode to.
 */
class MixedDtypeLayerTest {
    /** The logits of {@code ids} over {@code w}; the weights' memory stays open (it belongs to the checkpoint). */
    private static float[] logits(Checkpoint ck, Weights w, int[] ids) {
        ForwardDriver forward = new ForwardDriver(ck.config(), Backends.create("cpu", ck.config(), w));
        try {
            CaptureRequest req = new CaptureRequest(new int[]{1, 2}, new Pooling[]{Pooling.ALL}, false, CaptureRequest.Logits.ALL);
            return forward.run(List.of(ids), req).getFirst().logits();
        } finally {
            forward.close();
        }
    }

    private static Tensor asF32(Tensor t, Arena arena) {
        float[] v = t.toFloatArray();
        MemorySegment seg = arena.allocate(v.length * 4L, 64);
        MemorySegment.copy(v, 0, seg, Tensor.F32_LE, 0, v.length);
        return new Tensor(t.name(), DType.F32, t.shape(), seg);
    }

    @Test
    void blockAndBf16ProjectionsInOneLayerMatchTheirF32Values() {
        int[] ids = {1, 17, 230, 5, 99, 401, 7};
        try (Checkpoint ck = Checkpoint.open(TestData.goldenModel("llama-tiny-bf16").resolve("model"));
             Arena arena = Arena.ofShared()) {
            Weights base = ck.weights();
            String q = LayerTensor.Q_PROJ.name(1), gate = LayerTensor.GATE_PROJ.name(1);
            assertEquals(DType.BF16, base.all().get(q).dtype());
            Tensor q8 = LoadQuantization.toQ8_0(base.all().get(q), arena);
            Tensor g8 = LoadQuantization.toQ8_0(base.all().get(gate), arena);
            Weights mixed = base.with(Map.of(q, q8, gate, g8), () -> { });
            Weights reference = base.with(Map.of(q, asF32(q8, arena), gate, asF32(g8, arena)), () -> { });
            float[] a = logits(ck, mixed, ids);
            float[] b = logits(ck, reference, ids);
            assertArrayEquals(b, a);
        }
    }
}
