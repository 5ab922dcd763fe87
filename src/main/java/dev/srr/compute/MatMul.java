package dev.srr.compute;

import dev.srr.Parallel;
import dev.srr.tensor.DType;
import dev.srr.tensor.Tensor;

import java.lang.foreign.MemorySegment;

/**
 * {@code out[t, o] = sum_i x[t, i] * w[o, i] (+ bias[o])} straight from the mapped weights in their stored
 * dtype. Few tokens (decode, K candidates) walk 4-row weight tiles against 1- or 4-token activation tiles that
 * reduce along the input in vector lanes: the weights stream once from memory, which bounds decode. From
 * {@link #GEMM_MIN_TOKENS} tokens on, the work is compute-bound and runs as {@link PanelGemm}: weights widened
 * once per panel, broadcast-FMA micro-kernels, no horizontal sums. Inputs are packed per
 * {@link #packing(DType, int)}.
 */
public final class MatMul {
    /** Tokens whose packed activations are kept hot while a thread's weight rows stream past them. */
    static final int TOKEN_BLOCK = Math.max(4, Integer.getInteger("srr.matmul.tokenBlock", 64) & ~3);
    /** Fewest 4-row tiles per parallel chunk: smaller chunks cost more in scheduling than they balance. */
    static final int GRAIN = Math.max(1, Integer.getInteger("srr.matmul.grain", 8));

    /**
     * Tokens from which {@link PanelGemm} takes over from the lane-reducing tiles. Unpacking a panel costs about
     * what 20-40 tokens of its FMAs do; on one Zen core the GEMM was ahead from 24 tokens on 1536 x 576 (F32) and
     * 4864 x 896 (BF16) and from 48 on 576 x 1536 (F32).
     */
    public static final int GEMM_MIN_TOKENS = Math.max(1, Integer.getInteger("srr.matmul.gemmMinTokens", 32));

    private static final ThreadLocal<float[]> SUMS = ThreadLocal.withInitial(() -> new float[16]);

    private MatMul() {
    }

    /** Where a range of output rows goes: {@code out[t * stride + o]}, plus bias, added to what is there or not. */
    public record Target(Tensor weight, float[] bias, float[] out, int stride, boolean accumulate) {
        int rows() {
            return weight.dim(0);
        }
    }

    /** How the input of a projection over {@code tokens} rows of weights of {@code dtype} must be packed. */
    static Packing packing(DType dtype, int tokens) {
        return tokens >= GEMM_MIN_TOKENS ? Packing.NATURAL : Packing.of(dtype);
    }

    /**
     * Projections of the same input over all {@code tokens} rows of {@code packed} (packed per
     * {@link #packing(DType, int)}), as one parallel pass over their output rows laid end to end: q, k and v split
     * evenly over the threads.
     */
    public static void linear(float[] packed, int tokens, int inW, Target... targets) {
        if (tokens >= GEMM_MIN_TOKENS) {
            gemm(packed, tokens, inW, targets);
            return;
        }
        int[] start = new int[targets.length + 1];
        for (int j = 0; j < targets.length; j++) start[j + 1] = start[j] + (targets[j].rows() + 3) / 4;
        Parallel.forRange(start[targets.length], GRAIN, (from, to) -> {
            for (int j = 0; j < targets.length; j++) {
                int lo = Math.max(from, start[j]) - start[j];
                int hi = Math.min(to, start[j + 1]) - start[j];
                if (lo < hi) rows(packed, tokens, inW, targets[j], lo * 4, Math.min(targets[j].rows(), hi * 4));
            }
        });
    }

    /**
     * The MLP's gate and up projections with SwiGLU fused: {@code gate.out = silu(x w_gate) * (x w_up)}, each
     * thread finishing its rows per token block while they are in cache ({@code up.out} is scratch).
     */
    public static void gateUp(float[] packed, int tokens, int inW, Target gate, Target up) {
        if (tokens >= GEMM_MIN_TOKENS) {
            Parallel.forRange(PanelGemm.panels(gate.rows()), 1,
                    (from, to) -> PanelGemm.runGateUp(packed, tokens, inW, gate, up, from, to));
            return;
        }
        int tiles = (gate.rows() + 3) / 4;
        Parallel.forRange(tiles, GRAIN, (from, to) -> {
            int o0 = from * 4;
            int o1 = Math.min(gate.rows(), to * 4);
            if (QuantMatMul.decodes(gate.weight().dtype()) || QuantMatMul.decodes(up.weight().dtype())) {
                QuantMatMul.gateUp(packed, tokens, inW, gate, up, o0, o1);
                return;
            }
            for (int t0 = 0; t0 < tokens; t0 += TOKEN_BLOCK) {
                int t1 = Math.min(tokens, t0 + TOKEN_BLOCK);
                tile(packed, t0, t1, inW, gate, o0, o1);
                tile(packed, t0, t1, inW, up, o0, o1);
                for (int t = t0; t < t1; t++) {
                    CpuKernels.swiGlu(gate.out(), t * gate.stride() + o0, up.out(), t * up.stride() + o0, o1 - o0);
                }
            }
        });
    }

    private static void gemm(float[] x, int tokens, int inW, Target... targets) {
        int[] start = new int[targets.length + 1];
        for (int j = 0; j < targets.length; j++) start[j + 1] = start[j] + PanelGemm.panels(targets[j].rows());
        Parallel.forRange(start[targets.length], 1, (from, to) -> {
            for (int j = 0; j < targets.length; j++) {
                int lo = Math.max(from, start[j]) - start[j];
                int hi = Math.min(to, start[j + 1]) - start[j];
                if (lo < hi) PanelGemm.run(x, tokens, inW, targets[j], lo, hi);
            }
        });
    }

    /** Output rows [o0, o1) of {@code target} for every token, on the calling thread. */
    static void rows(float[] packed, int tokens, int inW, Target target, int o0, int o1) {
        if (QuantMatMul.decodes(target.weight().dtype())) {
            QuantMatMul.rows(packed, tokens, inW, target, o0, o1);
            return;
        }
        for (int t0 = 0; t0 < tokens; t0 += TOKEN_BLOCK) {
            tile(packed, t0, Math.min(tokens, t0 + TOKEN_BLOCK), inW, target, o0, o1);
        }
    }

    private static void tile(float[] x, int t0, int t1, int inW, Target target, int o0, int o1) {
        Tensor w = target.weight();
        MemorySegment seg = w.data();
        DType dt = w.dtype();
        long rowBytes = (long) inW * dt.bytes;
        float[] sums = SUMS.get();
        int o = o0;
        for (; o + 4 <= o1; o += 4) {
            if (t1 - t0 < 4) Touch.ahead(seg, rowBytes, o0, o1, o, 4);
            long wb = o * rowBytes;
            int t = t0;
            for (; t + 4 <= t1; t += 4) {
                switch (dt) {
                    case BF16 -> Bf16Kernels.tile4x4(seg, wb, rowBytes, x, t * inW, inW, inW, sums);
                    case F32 -> F32Kernels.tile4x4(seg, wb, rowBytes, x, t * inW, inW, inW, sums);
                }
                for (int k = 0; k < 4; k++) for (int r = 0; r < 4; r++) store(target, t + k, o + r, sums[k * 4 + r]);
            }
            for (; t < t1; t++) {
                switch (dt) {
                    case BF16 -> Bf16Kernels.tile4x1(seg, wb, rowBytes, x, t * inW, inW, sums);
                    case F32 -> F32Kernels.tile4x1(seg, wb, rowBytes, x, t * inW, inW, sums);
                }
                for (int r = 0; r < 4; r++) store(target, t, o + r, sums[r]);
            }
        }
        for (; o < o1; o++) {
            long wb = o * rowBytes;
            for (int t = t0; t < t1; t++) {
                float s = switch (dt) {
                    case BF16 -> Bf16Kernels.dot(seg, wb, x, t * inW, inW);
                    case F32 -> F32Kernels.dot(seg, wb, x, t * inW, inW);
                    default -> throw new IllegalStateException(dt + " rows go to QuantMatMul");
                };
                store(target, t, o, s);
            }
        }
    }

    /** One output: {@code out[t * stride + o] (+)= s + bias[o]}, as the target asks. */
    static void store(Target target, int t, int o, float s) {
        if (target.bias() != null) s += target.bias()[o];
        int at = t * target.stride() + o;
        if (target.accumulate()) target.out()[at] += s;
        else target.out()[at] = s;
    }
}
