package dev.srr.compute.tornado;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.math.TornadoMath;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Kernels of the SRR ranker that the decoder has no counterpart for (the projections reuse
 * {@link Kernels#matmulF32}). Rows of a batch belong to lists; {@code info} holds the row count at
 * {@link StepMeta#ROWS} (so the matmul kernels read it too) and, per row r, the first row of its list at
 * {@code 1 + 2r} and the list's length at {@code 2 + 2r}. The first row of a list is its instruction.
 */
public final class ScorerKernels {
    /** Longest list (instruction + candidates) the attention kernel holds scores for in local memory. */
    public static final int MAX_LIST = Kernels.MAX_LOCAL;
    private static final float GELU_C = 0.7978845608028654f; // sqrt(2 / pi)
    private static final float GELU_K = 0.044715f;

    private ScorerKernels() {
    }

    static int listStart(int row) {
        return 1 + 2 * row;
    }

    /** {@code z = (x - mean) / scale} per row: one work-group per row. */
    public static void standardize(KernelContext ctx, IntArray info, FloatArray x, FloatArray mean, FloatArray scale, FloatArray z, int d) {
        int r = ctx.groupIdx;
        if (r < info.get(StepMeta.ROWS)) {
            for (int i = ctx.localIdx; i < d; i += ctx.localGroupSizeX) z.set(r * d + i, (x.get(r * d + i) - mean.get(i)) / scale.get(i));
        }
    }

    /** Adds the type embedding: row 0 of {@code type} to instruction rows, row 1 to candidate rows. */
    public static void addType(KernelContext ctx, IntArray info, FloatArray h, FloatArray type, int p) {
        int r = ctx.groupIdx;
        if (r < info.get(StepMeta.ROWS)) {
            int t = info.get(listStart(r)) == r ? 0 : p;
            for (int c = ctx.localIdx; c < p; c += ctx.localGroupSizeX) h.set(r * p + c, h.get(r * p + c) + type.get(t + c));
        }
    }

    /** LayerNorm with gain and bias, two passes (mean, then variance) as the CPU ranker computes it. */
    public static void layerNorm(KernelContext ctx, IntArray info, FloatArray in, FloatArray gain, FloatArray bias, FloatArray out,
                                 int p, float eps) {
        int r = ctx.groupIdx;
        int lid = ctx.localIdx;
        int ls = ctx.localGroupSizeX;
        float[] part = ctx.allocateFloatLocalArray(Kernels.MAX_LOCAL);
        boolean active = r < info.get(StepMeta.ROWS);
        float sum = 0f;
        if (active) {
            for (int c = lid; c < p; c += ls) sum += in.get(r * p + c);
        }
        part[lid] = sum;
        ctx.localBarrier();
        for (int stride = ls / 2; stride > 0; stride >>= 1) {
            if (lid < stride) part[lid] += part[lid + stride];
            ctx.localBarrier();
        }
        float mean = part[0] / p;
        ctx.localBarrier();
        float sq = 0f;
        if (active) {
            for (int c = lid; c < p; c += ls) {
                float v = in.get(r * p + c) - mean;
                sq += v * v;
            }
        }
        part[lid] = sq;
        ctx.localBarrier();
        for (int stride = ls / 2; stride > 0; stride >>= 1) {
            if (lid < stride) part[lid] += part[lid + stride];
            ctx.localBarrier();
        }
        if (active) {
            float rstd = 1f / TornadoMath.sqrt(part[0] / p + eps);
            for (int c = lid; c < p; c += ls) out.set(r * p + c, gain.get(c) * ((in.get(r * p + c) - mean) * rstd) + bias.get(c));
        }
    }

    /**
     * Multi-head attention inside each list, no mask: work-group (head, row). {@code qkv} rows hold q | k | v
     * ({@code 3p} wide); scores of the row against every row of its list sit in local memory.
     */
    public static void listAttention(KernelContext ctx, IntArray info, FloatArray qkv, FloatArray out, int p, int heads) {
        int h = ctx.groupIdx;
        int r = ctx.groupIdy;
        int lid = ctx.localIdx;
        int ls = ctx.localGroupSizeX;
        float[] s = ctx.allocateFloatLocalArray(MAX_LIST);
        boolean active = r < info.get(StepMeta.ROWS);
        int start = 0;
        int n = 0;
        if (active) {
            start = info.get(listStart(r));
            n = info.get(listStart(r) + 1);
        }
        int dh = p / heads;
        int w3 = 3 * p;
        float scale = 1f / TornadoMath.sqrt(dh);
        int q = r * w3 + h * dh;
        for (int j = lid; j < n; j += ls) {
            int k = (start + j) * w3 + p + h * dh;
            float dot = 0f;
            for (int c = 0; c < dh; c++) dot += qkv.get(q + c) * qkv.get(k + c);
            s[j] = dot * scale;
        }
        ctx.localBarrier();
        // lists are short (1 + K rows): every work-item finds max and sum itself instead of a tree reduction
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) max = TornadoMath.max(max, s[j]);
        float sum = 0f;
        for (int j = 0; j < n; j++) sum += TornadoMath.exp(s[j] - max);
        ctx.localBarrier();
        for (int j = lid; j < n; j += ls) s[j] = TornadoMath.exp(s[j] - max) / sum;
        ctx.localBarrier();
        for (int c = lid; c < dh; c += ls) {
            float acc = 0f;
            for (int j = 0; j < n; j++) acc += s[j] * qkv.get((start + j) * w3 + 2 * p + h * dh + c);
            if (active) out.set(r * p + h * dh + c, acc);
        }
    }

    /**
     * The feed-forward non-linearity in place: GELU (tanh form, as the CPU ranker) when {@code gelu == 1}, else
     * ReLU. tanh is written with exp, which every TornadoVM backend has.
     */
    public static void activation(KernelContext ctx, IntArray info, FloatArray f, int width, int gelu) {
        int r = ctx.groupIdx;
        if (r < info.get(StepMeta.ROWS)) {
            for (int i = ctx.localIdx; i < width; i += ctx.localGroupSizeX) {
                float x = f.get(r * width + i);
                float y;
                if (gelu == 1) {
                    float t = 1f - 2f / (TornadoMath.exp(2f * GELU_C * (x + GELU_K * x * x * x)) + 1f);
                    y = 0.5f * x * (1f + t);
                } else {
                    y = TornadoMath.max(x, 0f);
                }
                f.set(r * width + i, y);
            }
        }
    }

    /**
     * {@code score[r] = cos(u[first row of r's list], u[r]) / tau}, norms floored at 1e-12 as on the CPU; one
     * work-group per row (instruction rows score themselves and are ignored by the host).
     */
    public static void cosine(KernelContext ctx, IntArray info, FloatArray u, FloatArray scores, int p, float tau) {
        int r = ctx.groupIdx;
        int lid = ctx.localIdx;
        int ls = ctx.localGroupSizeX;
        float[] part = ctx.allocateFloatLocalArray(3 * Kernels.MAX_LOCAL);
        boolean active = r < info.get(StepMeta.ROWS);
        int x = 0;
        if (active) x = info.get(listStart(r)) * p;
        float dot = 0f;
        float nx = 0f;
        float ny = 0f;
        if (active) {
            for (int c = lid; c < p; c += ls) {
                float a = u.get(x + c);
                float b = u.get(r * p + c);
                dot += a * b;
                nx += a * a;
                ny += b * b;
            }
        }
        part[lid] = dot;
        part[Kernels.MAX_LOCAL + lid] = nx;
        part[2 * Kernels.MAX_LOCAL + lid] = ny;
        ctx.localBarrier();
        for (int stride = ls / 2; stride > 0; stride >>= 1) {
            if (lid < stride) {
                part[lid] += part[lid + stride];
                part[Kernels.MAX_LOCAL + lid] += part[Kernels.MAX_LOCAL + lid + stride];
                part[2 * Kernels.MAX_LOCAL + lid] += part[2 * Kernels.MAX_LOCAL + lid + stride];
            }
            ctx.localBarrier();
        }
        if (active && lid == 0) {
            float normX = TornadoMath.max(TornadoMath.sqrt(part[Kernels.MAX_LOCAL]), 1e-12f);
            float normY = TornadoMath.max(TornadoMath.sqrt(part[2 * Kernels.MAX_LOCAL]), 1e-12f);
            scores.set(r, part[0] / (normX * normY) / tau);
        }
    }
}
