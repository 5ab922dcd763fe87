package dev.srr.compute.tornado;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.math.TornadoMath;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.HalfFloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;
import uk.ac.manchester.tornado.api.types.arrays.ShortArray;

/**
 * The device kernels, written for TornadoVM's KernelContext API: one work-group per output row (or per row and
 * head), work-items striding over the reduced dimension, then a tree reduction in local memory. Local sizes are
 * set per launch (powers of two up to {@link #MAX_LOCAL}). What a task works on is read from the device-resident
 * {@link StepMeta}, so the compiled graph never changes and grids are only resized on the host: each step kernel
 * takes a {@code gate}, the index of its stage's row count there (0 skips the stage: the whole step is one graph,
 * and a step that stops early, or runs in parts, switches layers off this way).
 *
 * <p>Matrix kernels give a work-group one output row and up to {@link #ROWS_PER_GROUP} token rows, taken
 * {@link #ROW_BLOCK} at a time with one accumulator each: a weight row comes from memory once for up to 16 tokens
 * (K candidates decoding together, prefill) and from cache for each further block of four.
 *
 * <p>Every weight-reading kernel exists for FP32 ({@link FloatArray}) and FP16 ({@link HalfFloatArray})
 * weights: TornadoVM needs concrete parameter types. The bodies are the same; only the weight read differs.
 * A third variant ({@code Raw16}) reads raw 16-bit patterns from a {@link ShortArray} and widens them with integer
 * and float operations only ({@link #widen16}): no OpenCL {@code half} type, so it needs no {@code cl_khr_fp16}. Its
 * {@code fp16} argument says what the bits are: 0 for BF16 (a shift), 1 for IEEE half (exact conversion).
 * Kernel classes must keep their debug info (javac -g, Maven's default) or TornadoVM cannot compile them.
 */
public final class Kernels {
    /** Largest work-group size any launch may use; local arrays are sized for it at compile time. */
    public static final int MAX_LOCAL = 256;
    /** Token rows a matrix kernel accumulates at once (one register accumulator each). */
    public static final int ROW_BLOCK = 4;
    /**
     * Token rows per work-group of a matrix kernel, in blocks of {@link #ROW_BLOCK}: the group re-reads its weight
     * row from cache for each block, so up to 16 rows (K candidates decoding together) cost one read from memory.
     */
    public static final int ROWS_PER_GROUP = 16;

    private Kernels() {
    }

    // ---- residual stream in/out ----

    /** {@code x[r] = embedding[token[r]]}: work-group r copies row r. */
    public static void embedF32(KernelContext ctx, IntArray meta, int gate, FloatArray table, FloatArray x, int d) {
        int r = ctx.groupIdx;
        if (r < meta.get(gate)) {
            int from = meta.get(StepMeta.TOKENS + r) * d;
            for (int i = ctx.localIdx; i < d; i += ctx.localGroupSizeX) x.set(r * d + i, table.get(from + i));
        }
    }

    public static void embedF16(KernelContext ctx, IntArray meta, int gate, HalfFloatArray table, FloatArray x, int d) {
        int r = ctx.groupIdx;
        if (r < meta.get(gate)) {
            int from = meta.get(StepMeta.TOKENS + r) * d;
            for (int i = ctx.localIdx; i < d; i += ctx.localGroupSizeX) x.set(r * d + i, table.get(from + i).getFloat32());
        }
    }

    public static void embedRaw16(KernelContext ctx, IntArray meta, int gate, ShortArray table, FloatArray x, int d, int fp16) {
        int r = ctx.groupIdx;
        if (r < meta.get(gate)) {
            int from = meta.get(StepMeta.TOKENS + r) * d;
            for (int i = ctx.localIdx; i < d; i += ctx.localGroupSizeX) x.set(r * d + i, widen16(table.get(from + i), fp16));
        }
    }

    /**
     * Captures rows for the host: if {@code meta[slotAt] >= 0}, {@code out[slot][i] = src[row i]} for the
     * {@code meta[pickAt]} rows listed after it; a slot of -1 means this point of the step is not captured.
     */
    public static void gatherRows(KernelContext ctx, IntArray meta, int slotAt, int pickAt, FloatArray src, FloatArray out, int width) {
        int i = ctx.groupIdx;
        int slot = meta.get(slotAt);
        int n = meta.get(pickAt);
        if (slot >= 0 && i < n) {
            int from = meta.get(pickAt + 1 + i) * width;
            int to = (slot * n + i) * width;
            for (int j = ctx.localIdx; j < width; j += ctx.localGroupSizeX) out.set(to + j, src.get(from + j));
        }
    }

    /** Rewrites the first element unchanged: makes the init graph allocate (and upload) a buffer. */
    public static void touch(KernelContext ctx, FloatArray a) {
        if (ctx.globalIdx == 0) a.set(0, a.get(0));
    }

    public static void touchF16(KernelContext ctx, HalfFloatArray a) {
        if (ctx.globalIdx == 0) a.set(0, a.get(0));
    }

    public static void touchShort(KernelContext ctx, ShortArray a) {
        if (ctx.globalIdx == 0) a.set(0, a.get(0));
    }

    // ---- norms ----

    /** RMSNorm, row by row: {@code out = weight * (in * 1/sqrt(mean(in^2) + eps))}, as transformers computes it. */
    public static void rmsNorm(KernelContext ctx, IntArray meta, int gate, FloatArray in, FloatArray weight, FloatArray out, int d, float eps) {
        int r = ctx.groupIdx;
        int lid = ctx.localIdx;
        int ls = ctx.localGroupSizeX;
        float[] part = ctx.allocateFloatLocalArray(MAX_LOCAL);
        boolean active = r < meta.get(gate);
        float ss = 0f;
        if (active) {
            for (int i = lid; i < d; i += ls) {
                float v = in.get(r * d + i);
                ss += v * v;
            }
        }
        part[lid] = ss;
        ctx.localBarrier();
        for (int stride = ls / 2; stride > 0; stride >>= 1) {
            if (lid < stride) part[lid] += part[lid + stride];
            ctx.localBarrier();
        }
        if (active) {
            float scale = 1f / TornadoMath.sqrt(part[0] / d + eps);
            for (int i = lid; i < d; i += ls) out.set(r * d + i, weight.get(i) * (in.get(r * d + i) * scale));
        }
    }

    // ---- projections ----

    /**
     * {@code out[r, o] (+)= x[r] . w[o] (+ bias[o])}: work-group (o, g) computes output o for rows
     * {@code 16 g .. 16 g + 15}, four at a time. {@code accumulate} adds into {@code out} (the residual connection).
     */
    public static void matmulF32(KernelContext ctx, IntArray meta, int gate, FloatArray x, FloatArray w, FloatArray bias, FloatArray out,
                                 int inW, int outW, int hasBias, int accumulate) {
        int o = ctx.groupIdx;
        int lid = ctx.localIdx;
        int ls = ctx.localGroupSizeX;
        float[] part = ctx.allocateFloatLocalArray(ROW_BLOCK * MAX_LOCAL);
        int rows = meta.get(gate);
        int end = TornadoMath.min(rows, (ctx.groupIdy + 1) * ROWS_PER_GROUP);
        for (int r0 = ctx.groupIdy * ROWS_PER_GROUP; r0 < end; r0 += ROW_BLOCK) {
            int n = TornadoMath.min(ROW_BLOCK, rows - r0);
            float a0 = 0f;
            float a1 = 0f;
            float a2 = 0f;
            float a3 = 0f;
            int wOff = o * inW;
            for (int i = lid; i < inW; i += ls) {
                float wv = w.get(wOff + i);
                if (n > 0) a0 += wv * x.get(r0 * inW + i);
                if (n > 1) a1 += wv * x.get((r0 + 1) * inW + i);
                if (n > 2) a2 += wv * x.get((r0 + 2) * inW + i);
                if (n > 3) a3 += wv * x.get((r0 + 3) * inW + i);
            }
            reduce4(ctx, part, a0, a1, a2, a3);
            if (lid == 0) store(part, bias, out, o, r0, n, outW, hasBias, accumulate);
            ctx.localBarrier(); // part is written again by the next block of rows
        }
    }

    public static void matmulF16(KernelContext ctx, IntArray meta, int gate, FloatArray x, HalfFloatArray w, FloatArray bias, FloatArray out,
                                 int inW, int outW, int hasBias, int accumulate) {
        int o = ctx.groupIdx;
        int lid = ctx.localIdx;
        int ls = ctx.localGroupSizeX;
        float[] part = ctx.allocateFloatLocalArray(ROW_BLOCK * MAX_LOCAL);
        int rows = meta.get(gate);
        int end = TornadoMath.min(rows, (ctx.groupIdy + 1) * ROWS_PER_GROUP);
        for (int r0 = ctx.groupIdy * ROWS_PER_GROUP; r0 < end; r0 += ROW_BLOCK) {
            int n = TornadoMath.min(ROW_BLOCK, rows - r0);
            float a0 = 0f;
            float a1 = 0f;
            float a2 = 0f;
            float a3 = 0f;
            int wOff = o * inW;
            for (int i = lid; i < inW; i += ls) {
                float wv = w.get(wOff + i).getFloat32();
                if (n > 0) a0 += wv * x.get(r0 * inW + i);
                if (n > 1) a1 += wv * x.get((r0 + 1) * inW + i);
                if (n > 2) a2 += wv * x.get((r0 + 2) * inW + i);
                if (n > 3) a3 += wv * x.get((r0 + 3) * inW + i);
            }
            reduce4(ctx, part, a0, a1, a2, a3);
            if (lid == 0) store(part, bias, out, o, r0, n, outW, hasBias, accumulate);
            ctx.localBarrier(); // part is written again by the next block of rows
        }
    }

    public static void matmulRaw16(KernelContext ctx, IntArray meta, int gate, FloatArray x, ShortArray w, FloatArray bias, FloatArray out,
                                 int inW, int outW, int hasBias, int accumulate, int fp16) {
        int o = ctx.groupIdx;
        int lid = ctx.localIdx;
        int ls = ctx.localGroupSizeX;
        float[] part = ctx.allocateFloatLocalArray(ROW_BLOCK * MAX_LOCAL);
        int rows = meta.get(gate);
        int end = TornadoMath.min(rows, (ctx.groupIdy + 1) * ROWS_PER_GROUP);
        for (int r0 = ctx.groupIdy * ROWS_PER_GROUP; r0 < end; r0 += ROW_BLOCK) {
            int n = TornadoMath.min(ROW_BLOCK, rows - r0);
            float a0 = 0f;
            float a1 = 0f;
            float a2 = 0f;
            float a3 = 0f;
            int wOff = o * inW;
            for (int i = lid; i < inW; i += ls) {
                float wv = widen16(w.get(wOff + i), fp16);
                if (n > 0) a0 += wv * x.get(r0 * inW + i);
                if (n > 1) a1 += wv * x.get((r0 + 1) * inW + i);
                if (n > 2) a2 += wv * x.get((r0 + 2) * inW + i);
                if (n > 3) a3 += wv * x.get((r0 + 3) * inW + i);
            }
            reduce4(ctx, part, a0, a1, a2, a3);
            if (lid == 0) store(part, bias, out, o, r0, n, outW, hasBias, accumulate);
            ctx.localBarrier(); // part is written again by the next block of rows
        }
    }

    /**
     * Logits of the rows the host asked for: {@code out[i, o] = x[row i] . w[o]} for the {@code meta[pickAt]} rows
     * listed after it, so the LM head (the largest matrix) runs only for them.
     */
    public static void lmHeadF32(KernelContext ctx, IntArray meta, int pickAt, FloatArray x, FloatArray w, FloatArray out, int inW, int outW) {
        int o = ctx.groupIdx;
        int lid = ctx.localIdx;
        int ls = ctx.localGroupSizeX;
        float[] part = ctx.allocateFloatLocalArray(ROW_BLOCK * MAX_LOCAL);
        int rows = meta.get(pickAt);
        int end = TornadoMath.min(rows, (ctx.groupIdy + 1) * ROWS_PER_GROUP);
        for (int i0 = ctx.groupIdy * ROWS_PER_GROUP; i0 < end; i0 += ROW_BLOCK) {
            int n = TornadoMath.min(ROW_BLOCK, rows - i0);
            int x0 = n > 0 ? meta.get(pickAt + 1 + i0) * inW : 0;
            int x1 = n > 1 ? meta.get(pickAt + 2 + i0) * inW : 0;
            int x2 = n > 2 ? meta.get(pickAt + 3 + i0) * inW : 0;
            int x3 = n > 3 ? meta.get(pickAt + 4 + i0) * inW : 0;
            float a0 = 0f;
            float a1 = 0f;
            float a2 = 0f;
            float a3 = 0f;
            int wOff = o * inW;
            for (int i = lid; i < inW; i += ls) {
                float wv = w.get(wOff + i);
                if (n > 0) a0 += wv * x.get(x0 + i);
                if (n > 1) a1 += wv * x.get(x1 + i);
                if (n > 2) a2 += wv * x.get(x2 + i);
                if (n > 3) a3 += wv * x.get(x3 + i);
            }
            reduce4(ctx, part, a0, a1, a2, a3);
            if (lid == 0) store(part, out, out, o, i0, n, outW, 0, 0);
            ctx.localBarrier(); // part is written again by the next block of rows
        }
    }

    public static void lmHeadF16(KernelContext ctx, IntArray meta, int pickAt, FloatArray x, HalfFloatArray w, FloatArray out, int inW, int outW) {
        int o = ctx.groupIdx;
        int lid = ctx.localIdx;
        int ls = ctx.localGroupSizeX;
        float[] part = ctx.allocateFloatLocalArray(ROW_BLOCK * MAX_LOCAL);
        int rows = meta.get(pickAt);
        int end = TornadoMath.min(rows, (ctx.groupIdy + 1) * ROWS_PER_GROUP);
        for (int i0 = ctx.groupIdy * ROWS_PER_GROUP; i0 < end; i0 += ROW_BLOCK) {
            int n = TornadoMath.min(ROW_BLOCK, rows - i0);
            int x0 = n > 0 ? meta.get(pickAt + 1 + i0) * inW : 0;
            int x1 = n > 1 ? meta.get(pickAt + 2 + i0) * inW : 0;
            int x2 = n > 2 ? meta.get(pickAt + 3 + i0) * inW : 0;
            int x3 = n > 3 ? meta.get(pickAt + 4 + i0) * inW : 0;
            float a0 = 0f;
            float a1 = 0f;
            float a2 = 0f;
            float a3 = 0f;
            int wOff = o * inW;
            for (int i = lid; i < inW; i += ls) {
                float wv = w.get(wOff + i).getFloat32();
                if (n > 0) a0 += wv * x.get(x0 + i);
                if (n > 1) a1 += wv * x.get(x1 + i);
                if (n > 2) a2 += wv * x.get(x2 + i);
                if (n > 3) a3 += wv * x.get(x3 + i);
            }
            reduce4(ctx, part, a0, a1, a2, a3);
            if (lid == 0) store(part, out, out, o, i0, n, outW, 0, 0);
            ctx.localBarrier(); // part is written again by the next block of rows
        }
    }

    public static void lmHeadRaw16(KernelContext ctx, IntArray meta, int pickAt, FloatArray x, ShortArray w, FloatArray out, int inW, int outW, int fp16) {
        int o = ctx.groupIdx;
        int lid = ctx.localIdx;
        int ls = ctx.localGroupSizeX;
        float[] part = ctx.allocateFloatLocalArray(ROW_BLOCK * MAX_LOCAL);
        int rows = meta.get(pickAt);
        int end = TornadoMath.min(rows, (ctx.groupIdy + 1) * ROWS_PER_GROUP);
        for (int i0 = ctx.groupIdy * ROWS_PER_GROUP; i0 < end; i0 += ROW_BLOCK) {
            int n = TornadoMath.min(ROW_BLOCK, rows - i0);
            int x0 = n > 0 ? meta.get(pickAt + 1 + i0) * inW : 0;
            int x1 = n > 1 ? meta.get(pickAt + 2 + i0) * inW : 0;
            int x2 = n > 2 ? meta.get(pickAt + 3 + i0) * inW : 0;
            int x3 = n > 3 ? meta.get(pickAt + 4 + i0) * inW : 0;
            float a0 = 0f;
            float a1 = 0f;
            float a2 = 0f;
            float a3 = 0f;
            int wOff = o * inW;
            for (int i = lid; i < inW; i += ls) {
                float wv = widen16(w.get(wOff + i), fp16);
                if (n > 0) a0 += wv * x.get(x0 + i);
                if (n > 1) a1 += wv * x.get(x1 + i);
                if (n > 2) a2 += wv * x.get(x2 + i);
                if (n > 3) a3 += wv * x.get(x3 + i);
            }
            reduce4(ctx, part, a0, a1, a2, a3);
            if (lid == 0) store(part, out, out, o, i0, n, outW, 0, 0);
            ctx.localBarrier(); // part is written again by the next block of rows
        }
    }

    /**
     * Gate, up and SwiGLU in one pass: {@code out[r, o] = silu(x[r] . w[o]) * (x[r] . w[inter + o])} where
     * {@code w} holds the gate rows then the up rows.
     */
    public static void gateUpF32(KernelContext ctx, IntArray meta, int gate, FloatArray x, FloatArray w, FloatArray out, int inW, int inter) {
        int o = ctx.groupIdx;
        int lid = ctx.localIdx;
        int ls = ctx.localGroupSizeX;
        // one local array for both sums: two local arrays passed to the same helper end up aliased
        float[] part = ctx.allocateFloatLocalArray(2 * ROW_BLOCK * MAX_LOCAL);
        int rows = meta.get(gate);
        int end = TornadoMath.min(rows, (ctx.groupIdy + 1) * ROWS_PER_GROUP);
        for (int r0 = ctx.groupIdy * ROWS_PER_GROUP; r0 < end; r0 += ROW_BLOCK) {
            int n = TornadoMath.min(ROW_BLOCK, rows - r0);
            float g0 = 0f;
            float g1 = 0f;
            float g2 = 0f;
            float g3 = 0f;
            float u0 = 0f;
            float u1 = 0f;
            float u2 = 0f;
            float u3 = 0f;
            int gOff = o * inW;
            int uOff = (inter + o) * inW;
            for (int i = lid; i < inW; i += ls) {
                float gw = w.get(gOff + i);
                float uw = w.get(uOff + i);
                if (n > 0) {
                    float v = x.get(r0 * inW + i);
                    g0 += gw * v;
                    u0 += uw * v;
                }
                if (n > 1) {
                    float v = x.get((r0 + 1) * inW + i);
                    g1 += gw * v;
                    u1 += uw * v;
                }
                if (n > 2) {
                    float v = x.get((r0 + 2) * inW + i);
                    g2 += gw * v;
                    u2 += uw * v;
                }
                if (n > 3) {
                    float v = x.get((r0 + 3) * inW + i);
                    g3 += gw * v;
                    u3 += uw * v;
                }
            }
            reduce8(ctx, part, g0, g1, g2, g3, u0, u1, u2, u3);
            if (lid == 0) storeSwiGlu(part, out, o, r0, n, inter);
            ctx.localBarrier(); // part is written again by the next block of rows
        }
    }

    public static void gateUpF16(KernelContext ctx, IntArray meta, int gate, FloatArray x, HalfFloatArray w, FloatArray out, int inW, int inter) {
        int o = ctx.groupIdx;
        int lid = ctx.localIdx;
        int ls = ctx.localGroupSizeX;
        // one local array for both sums: two local arrays passed to the same helper end up aliased
        float[] part = ctx.allocateFloatLocalArray(2 * ROW_BLOCK * MAX_LOCAL);
        int rows = meta.get(gate);
        int end = TornadoMath.min(rows, (ctx.groupIdy + 1) * ROWS_PER_GROUP);
        for (int r0 = ctx.groupIdy * ROWS_PER_GROUP; r0 < end; r0 += ROW_BLOCK) {
            int n = TornadoMath.min(ROW_BLOCK, rows - r0);
            float g0 = 0f;
            float g1 = 0f;
            float g2 = 0f;
            float g3 = 0f;
            float u0 = 0f;
            float u1 = 0f;
            float u2 = 0f;
            float u3 = 0f;
            int gOff = o * inW;
            int uOff = (inter + o) * inW;
            for (int i = lid; i < inW; i += ls) {
                float gw = w.get(gOff + i).getFloat32();
                float uw = w.get(uOff + i).getFloat32();
                if (n > 0) {
                    float v = x.get(r0 * inW + i);
                    g0 += gw * v;
                    u0 += uw * v;
                }
                if (n > 1) {
                    float v = x.get((r0 + 1) * inW + i);
                    g1 += gw * v;
                    u1 += uw * v;
                }
                if (n > 2) {
                    float v = x.get((r0 + 2) * inW + i);
                    g2 += gw * v;
                    u2 += uw * v;
                }
                if (n > 3) {
                    float v = x.get((r0 + 3) * inW + i);
                    g3 += gw * v;
                    u3 += uw * v;
                }
            }
            reduce8(ctx, part, g0, g1, g2, g3, u0, u1, u2, u3);
            if (lid == 0) storeSwiGlu(part, out, o, r0, n, inter);
            ctx.localBarrier(); // part is written again by the next block of rows
        }
    }

    public static void gateUpRaw16(KernelContext ctx, IntArray meta, int gate, FloatArray x, ShortArray w, FloatArray out, int inW, int inter, int fp16) {
        int o = ctx.groupIdx;
        int lid = ctx.localIdx;
        int ls = ctx.localGroupSizeX;
        // one local array for both sums: two local arrays passed to the same helper end up aliased
        float[] part = ctx.allocateFloatLocalArray(2 * ROW_BLOCK * MAX_LOCAL);
        int rows = meta.get(gate);
        int end = TornadoMath.min(rows, (ctx.groupIdy + 1) * ROWS_PER_GROUP);
        for (int r0 = ctx.groupIdy * ROWS_PER_GROUP; r0 < end; r0 += ROW_BLOCK) {
            int n = TornadoMath.min(ROW_BLOCK, rows - r0);
            float g0 = 0f;
            float g1 = 0f;
            float g2 = 0f;
            float g3 = 0f;
            float u0 = 0f;
            float u1 = 0f;
            float u2 = 0f;
            float u3 = 0f;
            int gOff = o * inW;
            int uOff = (inter + o) * inW;
            for (int i = lid; i < inW; i += ls) {
                float gw = widen16(w.get(gOff + i), fp16);
                float uw = widen16(w.get(uOff + i), fp16);
                if (n > 0) {
                    float v = x.get(r0 * inW + i);
                    g0 += gw * v;
                    u0 += uw * v;
                }
                if (n > 1) {
                    float v = x.get((r0 + 1) * inW + i);
                    g1 += gw * v;
                    u1 += uw * v;
                }
                if (n > 2) {
                    float v = x.get((r0 + 2) * inW + i);
                    g2 += gw * v;
                    u2 += uw * v;
                }
                if (n > 3) {
                    float v = x.get((r0 + 3) * inW + i);
                    g3 += gw * v;
                    u3 += uw * v;
                }
            }
            reduce8(ctx, part, g0, g1, g2, g3, u0, u1, u2, u3);
            if (lid == 0) storeSwiGlu(part, out, o, r0, n, inter);
            ctx.localBarrier(); // part is written again by the next block of rows
        }
    }

    /** A raw 16-bit weight as float: BF16 bits ({@code fp16 == 0}) or IEEE half bits ({@code fp16 == 1}). */
    static float widen16(short bits, int fp16) {
        int h = bits & 0xFFFF;
        float v;
        if (fp16 == 0) {
            v = bf16ToFloat(h);
        } else {
            v = halfToFloat(h);
        }
        return v;
    }

    /*
     * Why no Float.intBitsToFloat: TornadoVM 5.2's OpenCL backend does not implement Graal's ReinterpretNode
     * (OCLArithmeticTool.emitReinterpret throws "unimplemented"), so the widening builds the value from its
     * fields with exact float arithmetic: (implicit bit + mantissa) times a power of two made of an int-to-float
     * conversion of 1 << k and constant powers of two, ordered so every intermediate is a normal float (exact even
     * where denormals are flushed). Only results that are themselves subnormal depend on the device's denormal mode.
     */

    /** BF16 bits (low 16 bits of {@code h}) to float, exactly (NaNs stay NaN, payload not kept). */
    static float bf16ToFloat(int h) {
        int e = (h >> 7) & 0xFF;
        int m = h & 0x7F;
        float v;
        if (e == 0) {
            v = (m * 8.4703295E-22f) * 1.0842022E-19f; // m * 2^-70 * 2^-63 = m * 2^-133
        } else if (e == 0xFF) {
            v = m == 0 ? Float.POSITIVE_INFINITY : TornadoMath.sqrt(-(float) m); // NaN: a NaN constant does not compile
        } else {
            int p = e - 127;
            int q = p < 0 ? p + 128 : p; // 0..127
            v = (128 + m) * 0.0078125f * (1 << (q & 15));
            if ((q & 16) != 0) v = v * 65536f; // 2^16
            if ((q & 32) != 0) v = v * 4.2949673E9f; // 2^32
            if ((q & 64) != 0) v = v * 1.8446744E19f; // 2^64
            if (p < 0) v = v * 5.421011E-20f * 5.421011E-20f; // 2^-64 twice
        }
        if ((h & 0x8000) != 0) v = -v;
        return v;
    }

    /** IEEE half bits (low 16 bits of {@code h}) to float, exactly (NaNs stay NaN, payload not kept). */
    static float halfToFloat(int h) {
        int e = (h >> 10) & 0x1F;
        int m = h & 0x3FF;
        float v;
        if (e == 0) {
            v = m * 5.9604645E-8f; // m * 2^-24
        } else if (e == 31) {
            v = m == 0 ? Float.POSITIVE_INFINITY : TornadoMath.sqrt(-(float) m); // NaN: a NaN constant does not compile
        } else {
            v = (1024 + m) * (float) (1 << (e - 1)) * 5.9604645E-8f; // (1024 + m) * 2^(e - 25)
        }
        if ((h & 0x8000) != 0) v = -v;
        return v;
    }

    /** Tree reduction of four per-work-item partial sums; the totals end in part[0], part[MAX_LOCAL], ... */
    private static void reduce4(KernelContext ctx, float[] part, float a0, float a1, float a2, float a3) {
        int lid = ctx.localIdx;
        part[lid] = a0;
        part[MAX_LOCAL + lid] = a1;
        part[2 * MAX_LOCAL + lid] = a2;
        part[3 * MAX_LOCAL + lid] = a3;
        ctx.localBarrier();
        for (int stride = ctx.localGroupSizeX / 2; stride > 0; stride >>= 1) {
            if (lid < stride) {
                part[lid] += part[lid + stride];
                part[MAX_LOCAL + lid] += part[MAX_LOCAL + lid + stride];
                part[2 * MAX_LOCAL + lid] += part[2 * MAX_LOCAL + lid + stride];
                part[3 * MAX_LOCAL + lid] += part[3 * MAX_LOCAL + lid + stride];
            }
            ctx.localBarrier();
        }
    }

    /** As {@link #reduce4} for eight sums (gate then up): totals at part[k * MAX_LOCAL], k = 0..7. */
    private static void reduce8(KernelContext ctx, float[] part, float a0, float a1, float a2, float a3,
                                float b0, float b1, float b2, float b3) {
        int lid = ctx.localIdx;
        part[lid] = a0;
        part[MAX_LOCAL + lid] = a1;
        part[2 * MAX_LOCAL + lid] = a2;
        part[3 * MAX_LOCAL + lid] = a3;
        part[4 * MAX_LOCAL + lid] = b0;
        part[5 * MAX_LOCAL + lid] = b1;
        part[6 * MAX_LOCAL + lid] = b2;
        part[7 * MAX_LOCAL + lid] = b3;
        ctx.localBarrier();
        for (int stride = ctx.localGroupSizeX / 2; stride > 0; stride >>= 1) {
            if (lid < stride) {
                for (int k = 0; k < 2 * ROW_BLOCK; k++) part[k * MAX_LOCAL + lid] += part[k * MAX_LOCAL + lid + stride];
            }
            ctx.localBarrier();
        }
    }

    private static void store(float[] part, FloatArray bias, FloatArray out, int o, int r0, int n, int outW, int hasBias, int accumulate) {
        float b = hasBias == 1 ? bias.get(o) : 0f;
        for (int k = 0; k < n; k++) {
            int at = (r0 + k) * outW + o;
            float v = part[k * MAX_LOCAL] + b;
            if (accumulate == 1) {
                out.set(at, out.get(at) + v);
            } else {
                out.set(at, v);
            }
        }
    }

    /** Gate sums at part[k * MAX_LOCAL], up sums ROW_BLOCK * MAX_LOCAL further. */
    private static void storeSwiGlu(float[] part, FloatArray out, int o, int r0, int n, int inter) {
        for (int k = 0; k < n; k++) {
            float g = part[k * MAX_LOCAL];
            out.set((r0 + k) * inter + o, g / (1f + TornadoMath.exp(-g)) * part[(ROW_BLOCK + k) * MAX_LOCAL]);
        }
    }

    // ---- attention ----

    /**
     * Per (head, row): optional per-head RMSNorm (Qwen3), rotary embedding of q and k heads, and the k/v heads
     * stored into this layer's cache at the row's position. Work-groups 0..heads-1 are q heads, then the k
     * heads, then the v heads. {@code qkv} rows hold q | k | v.
     */
    public static void ropeStore(KernelContext ctx, IntArray meta, int gate, FloatArray qkv, FloatArray qNorm, FloatArray kNorm,
                                 FloatArray cos, FloatArray sin, FloatArray keys, FloatArray values,
                                 int heads, int kvHeads, int headDim, int hasNorm, float eps, int context) {
        int h = ctx.groupIdx;
        int r = ctx.groupIdy;
        int lid = ctx.localIdx;
        int ls = ctx.localGroupSizeX;
        float[] part = ctx.allocateFloatLocalArray(MAX_LOCAL);
        boolean active = r < meta.get(gate);
        int kvDim = kvHeads * headDim;
        int width = heads * headDim + 2 * kvDim;
        int off = r * width + h * headDim;
        float scale = 1f;
        if (hasNorm == 1) {
            float ss = 0f;
            if (active && h < heads + kvHeads) {
                for (int j = lid; j < headDim; j += ls) {
                    float v = qkv.get(off + j);
                    ss += v * v;
                }
            }
            part[lid] = ss;
            ctx.localBarrier();
            for (int stride = ls / 2; stride > 0; stride >>= 1) {
                if (lid < stride) part[lid] += part[lid + stride];
                ctx.localBarrier();
            }
            scale = 1f / TornadoMath.sqrt(part[0] / headDim + eps);
        }
        if (active) {
            int capacity = meta.get(StepMeta.CAPACITY);
            int pos = meta.get(StepMeta.TOKENS + capacity + r);
            int cacheRow = (meta.get(StepMeta.TOKENS + 2 * capacity + r * StepMeta.CHAIN_INTS) * context + pos) * kvDim;
            int half = headDim / 2;
            if (h < heads + kvHeads) {
                boolean isKey = h >= heads;
                int kvOff = cacheRow + (h - heads) * headDim;
                for (int j = lid; j < half; j += ls) {
                    float a = qkv.get(off + j);
                    float b = qkv.get(off + j + half);
                    if (hasNorm == 1) {
                        float ga = isKey ? kNorm.get(j) : qNorm.get(j);
                        float gb = isKey ? kNorm.get(j + half) : qNorm.get(j + half);
                        a = ga * (a * scale);
                        b = gb * (b * scale);
                    }
                    float c = cos.get(pos * half + j);
                    float s = sin.get(pos * half + j);
                    float ra = a * c - b * s;
                    float rb = b * c + a * s;
                    qkv.set(off + j, ra);
                    qkv.set(off + j + half, rb);
                    if (isKey) {
                        keys.set(kvOff + j, ra);
                        keys.set(kvOff + j + half, rb);
                    }
                }
            } else {
                int kvOff = cacheRow + (h - heads - kvHeads) * headDim;
                for (int j = lid; j < headDim; j += ls) values.set(kvOff + j, qkv.get(off + j));
            }
        }
    }

    /**
     * The cache slot holding position {@code t} for the row whose chain starts at {@code chain}: the row's own
     * slot from its prefix length on, else its parent's, and so on up to {@link StepMeta#MAX_DEPTH} levels.
     */
    private static int slotOf(IntArray meta, int chain, int t) {
        int slot = meta.get(chain);
        if (t < meta.get(chain + 1)) {
            slot = meta.get(chain + 2);
            if (t < meta.get(chain + 3)) {
                slot = meta.get(chain + 4);
                if (t < meta.get(chain + 5)) slot = meta.get(chain + 6);
            }
        }
        return slot;
    }

    /**
     * Causal grouped-query attention per (head, row) over the device cache, following the row's chain of shared
     * prefixes, within the sliding window when there is one. Scores go through {@code scores} (global scratch,
     * {@code context} floats per row and head); work-items stride over positions, then over the head dims.
     */
    public static void attention(KernelContext ctx, IntArray meta, int gate, FloatArray qkv, FloatArray keys, FloatArray values,
                                 FloatArray scores, FloatArray out,
                                 int heads, int kvHeads, int headDim, int window, float scale, int context) {
        int h = ctx.groupIdx;
        int r = ctx.groupIdy;
        int lid = ctx.localIdx;
        int ls = ctx.localGroupSizeX;
        float[] part = ctx.allocateFloatLocalArray(MAX_LOCAL);
        boolean active = r < meta.get(gate);
        int kvDim = kvHeads * headDim;
        int qDim = heads * headDim;
        int pos = 0;
        int start = 0;
        int chain = 0;
        if (active) {
            int capacity = meta.get(StepMeta.CAPACITY);
            pos = meta.get(StepMeta.TOKENS + capacity + r);
            start = window > 0 ? TornadoMath.max(0, pos - window + 1) : 0;
            chain = StepMeta.TOKENS + 2 * capacity + r * StepMeta.CHAIN_INTS;
        }
        int qOff = r * (qDim + 2 * kvDim) + h * headDim;
        int kvHead = (h / (heads / kvHeads)) * headDim;
        int sOff = (r * heads + h) * context;
        float max = Float.NEGATIVE_INFINITY;
        if (active) {
            for (int t = start + lid; t <= pos; t += ls) {
                int kOff = (slotOf(meta, chain, t) * context + t) * kvDim + kvHead;
                float s = 0f;
                for (int j = 0; j < headDim; j++) s += qkv.get(qOff + j) * keys.get(kOff + j);
                s = s * scale;
                scores.set(sOff + t - start, s);
                max = TornadoMath.max(max, s);
            }
        }
        part[lid] = max;
        ctx.localBarrier();
        for (int stride = ls / 2; stride > 0; stride >>= 1) {
            if (lid < stride) part[lid] = TornadoMath.max(part[lid], part[lid + stride]);
            ctx.localBarrier();
        }
        max = part[0];
        ctx.localBarrier();
        float sum = 0f;
        if (active) {
            for (int t = start + lid; t <= pos; t += ls) {
                float e = TornadoMath.exp(scores.get(sOff + t - start) - max);
                scores.set(sOff + t - start, e);
                sum += e;
            }
        }
        part[lid] = sum;
        ctx.localBarrier();
        ctx.globalBarrier(); // the last loop reads scores other work-items wrote
        for (int stride = ls / 2; stride > 0; stride >>= 1) {
            if (lid < stride) part[lid] += part[lid + stride];
            ctx.localBarrier();
        }
        if (active) {
            float inv = 1f / part[0];
            for (int j = lid; j < headDim; j += ls) {
                float acc = 0f;
                for (int t = start; t <= pos; t++) {
                    int vOff = (slotOf(meta, chain, t) * context + t) * kvDim + kvHead;
                    acc += scores.get(sOff + t - start) * inv * values.get(vOff + j);
                }
                out.set(r * qDim + h * headDim + j, acc);
            }
        }
    }
}
