package dev.srr.compute;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The many-token GEMM {@code out[t, o] = sum_k x[t, k] * w[o, k]}: per panel of {@link #ROWS} output rows the
 * weights are widened once into k-major float chunks of {@link WeightPanels#CHUNK} columns, then a register
 * micro-kernel broadcasts {@code x[t, k]} and FMAs it with the panel's row vectors for {@link #TOKENS} tokens at a
 * time. Accumulators are indexed by output row, so there are no horizontal sums.
 *
 * <p>Blocking, per thread: a run of panels whose floats fit {@link #PANEL_BYTES} is unpacked once; then, per
 * block of tokens whose activations fit {@link #X_BYTES} (kept in L2 while the run's panels pass), per panel and
 * per chunk (32 KiB, kept in L1 while every token group of the block passes), the micro-kernel continues each
 * output's running sum from a small accumulator block.
 *
 * <p>Summation order: each output is float32 FMA chains over {@link #SPAN} consecutive columns, each chain added
 * to a running total in column order, whatever the token group, block, panel, thread or thread count: a token
 * gets the same bits in any batch. (One chain over all columns rounds about k / SPAN times more.)
 *
 * <p>Activations are in natural row-major order ({@link Packing#NATURAL}), {@code x[t * inW + k]}.
 */
final class PanelGemm {
    private static final VectorSpecies<Float> F = Vec.F;
    private static final int L = Vec.L;
    /** Output rows per panel: two vectors. */
    static final int ROWS = 2 * L;
    /** Tokens per micro-kernel call: 6 x 2 accumulators, 2 weight vectors and a broadcast fit the 32 registers. */
    static final int TOKENS = 6;
    private static final int CHUNK = WeightPanels.CHUNK;
    /** Columns per FMA chain before it is added to the running total (two-level summation); divides CHUNK. */
    static final int SPAN = 16;
    /** Unpacked panels a thread holds at once (both weights of a fused gate/up pass together). */
    static final int PANEL_BYTES = Integer.getInteger("srr.matmul.panelKiB", 1024) * 1024;
    /** Activations of one token block, to stay in L2 while a run of panels passes. */
    static final int X_BYTES = Integer.getInteger("srr.matmul.tokenBlockKiB", 256) * 1024;
    static final int MIN_BLOCK = 4 * TOKENS;
    static final int MAX_BLOCK = 32 * TOKENS;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private PanelGemm() {
    }

    /** Panels of {@code rows} output rows. */
    static int panels(int rows) {
        return (rows + ROWS - 1) / ROWS;
    }

    /** Output rows of panels [p0, p1) of {@code target} for all {@code tokens} rows of {@code x}, on this thread. */
    static void run(float[] x, int tokens, int inW, MatMul.Target target, int p0, int p1) {
        runs(x, tokens, inW, target, null, p0, p1);
    }

    /**
     * Panels [p0, p1) of the gate and up projections with SwiGLU fused: {@code gate.out = silu(gate) * up} per
     * token block and panel while its sums are in cache ({@code up.out} is not written).
     */
    static void runGateUp(float[] x, int tokens, int inW, MatMul.Target gate, MatMul.Target up, int p0, int p1) {
        runs(x, tokens, inW, gate, up, p0, p1);
    }

    private static void runs(float[] x, int tokens, int inW, MatMul.Target target, MatMul.Target up, int p0, int p1) {
        Scratch s = SCRATCH.get();
        int chunks = (inW + CHUNK - 1) / CHUNK;
        int perPanel = up == null ? 1 : 2;
        int run = (int) Math.max(1, PANEL_BYTES / ((long) perPanel * chunks * CHUNK * ROWS * 4));
        int block = Math.clamp(X_BYTES / (4L * inW) / TOKENS * TOKENS, MIN_BLOCK, MAX_BLOCK);
        s.ensure(run * perPanel, chunks, block);
        for (int pa = p0; pa < p1; pa += run) {
            int pb = Math.min(p1, pa + run);
            for (int p = pa; p < pb; p++) {
                s.load((p - pa) * perPanel, target, p * ROWS, inW);
                if (up != null) s.load((p - pa) * perPanel + 1, up, p * ROWS, inW);
            }
            for (int t0 = 0; t0 < tokens; t0 += block) {
                int t1 = Math.min(tokens, t0 + block);
                for (int p = pa; p < pb; p++) {
                    int o0 = p * ROWS;
                    int rows = Math.min(ROWS, target.rows() - o0);
                    sums(s.panels[(p - pa) * perPanel], s.acc, x, inW, t0, t1);
                    if (up == null) {
                        store(s.acc, target, t0, t1, o0, rows);
                        continue;
                    }
                    sums(s.panels[(p - pa) * perPanel + 1], s.upAcc, x, inW, t0, t1);
                    swiGlu(s.acc, s.upAcc, target, up, t0, t1, o0, rows);
                }
            }
        }
    }

    /** acc[(t - t0) * ROWS + r] = sum over k of x[t, k] * panel row r, for tokens [t0, t1). */
    private static void sums(float[][] chunks, float[] acc, float[] x, int inW, int t0, int t1) {
        for (int c = 0, k0 = 0; k0 < inW; c++, k0 += CHUNK) {
            float[] p = chunks[c];
            int kLen = Math.min(CHUNK, inW - k0);
            boolean first = c == 0;
            int t = t0;
            for (; t + TOKENS <= t1; t += TOKENS) kernel6(p, kLen, x, t * inW + k0, inW, acc, (t - t0) * ROWS, first);
            for (; t < t1; t++) kernel1(p, kLen, x, t * inW + k0, acc, (t - t0) * ROWS, first);
        }
    }

    /** Per thread: unpacked panels, slot-major ({@code panels[slot][chunk]}), and token-block sums. */
    private static final class Scratch {
        float[][][] panels = new float[0][][];
        float[] acc = new float[0];
        float[] upAcc = new float[0];
        /** A tail panel (fewer rows) as {@link WeightPanels#unpack} lays it out, before padding to ROWS. */
        final float[] narrow = new float[ROWS * CHUNK];

        void ensure(int slots, int chunks, int block) {
            if (panels.length < slots || panels[0].length < chunks) {
                int had = panels.length == 0 ? 0 : panels[0].length;
                panels = new float[Math.max(slots, panels.length)][Math.max(chunks, had)][ROWS * CHUNK];
            }
            if (acc.length < block * ROWS) {
                acc = new float[block * ROWS];
                upAcc = new float[block * ROWS];
            }
        }

        /** Rows [o0, o0 + ROWS) of the target's weight into slot {@code slot}, rows past its end as zeros. */
        void load(int slot, MatMul.Target target, int o0, int inW) {
            int rows = Math.min(ROWS, target.rows() - o0);
            for (int c = 0, k0 = 0; k0 < inW; c++, k0 += CHUNK) {
                int kLen = Math.min(CHUNK, inW - k0);
                float[] chunk = panels[slot][c];
                if (rows == ROWS) {
                    WeightPanels.unpack(target.weight(), o0, rows, k0, kLen, chunk);
                    continue;
                }
                WeightPanels.unpack(target.weight(), o0, rows, k0, kLen, narrow);
                for (int k = 0; k < kLen; k++) {
                    System.arraycopy(narrow, k * rows, chunk, k * ROWS, rows);
                    java.util.Arrays.fill(chunk, k * ROWS + rows, (k + 1) * ROWS, 0f);
                }
            }
        }
    }

    /**
     * Six tokens (activations from {@code x0}, rows {@code xs} apart) times one panel chunk of {@code kLen}
     * columns, continuing the running sums at {@code acc[a0 ..]} (six rows of ROWS) or starting them.
     */
    private static void kernel6(float[] p, int kLen, float[] x, int x0, int xs, float[] acc, int a0, boolean first) {
        FloatVector a00, a01, a10, a11, a20, a21, a30, a31, a40, a41, a50, a51;
        if (first) {
            a00 = FloatVector.zero(F);
            a01 = a10 = a11 = a20 = a21 = a30 = a31 = a40 = a41 = a50 = a51 = a00;
        } else {
            a00 = FloatVector.fromArray(F, acc, a0);
            a01 = FloatVector.fromArray(F, acc, a0 + L);
            a10 = FloatVector.fromArray(F, acc, a0 + ROWS);
            a11 = FloatVector.fromArray(F, acc, a0 + ROWS + L);
            a20 = FloatVector.fromArray(F, acc, a0 + 2 * ROWS);
            a21 = FloatVector.fromArray(F, acc, a0 + 2 * ROWS + L);
            a30 = FloatVector.fromArray(F, acc, a0 + 3 * ROWS);
            a31 = FloatVector.fromArray(F, acc, a0 + 3 * ROWS + L);
            a40 = FloatVector.fromArray(F, acc, a0 + 4 * ROWS);
            a41 = FloatVector.fromArray(F, acc, a0 + 4 * ROWS + L);
            a50 = FloatVector.fromArray(F, acc, a0 + 5 * ROWS);
            a51 = FloatVector.fromArray(F, acc, a0 + 5 * ROWS + L);
        }
        for (int s0 = 0; s0 < kLen; s0 += SPAN) {
            FloatVector p00 = FloatVector.zero(F), p01 = p00, p10 = p00, p11 = p00, p20 = p00, p21 = p00;
            FloatVector p30 = p00, p31 = p00, p40 = p00, p41 = p00, p50 = p00, p51 = p00;
            int s1 = Math.min(kLen, s0 + SPAN);
            for (int k = s0; k < s1; k++) {
                FloatVector w0 = FloatVector.fromArray(F, p, k * ROWS);
                FloatVector w1 = FloatVector.fromArray(F, p, k * ROWS + L);
                int xi = x0 + k;
                FloatVector b = FloatVector.broadcast(F, x[xi]);
                p00 = w0.fma(b, p00);
                p01 = w1.fma(b, p01);
                b = FloatVector.broadcast(F, x[xi + xs]);
                p10 = w0.fma(b, p10);
                p11 = w1.fma(b, p11);
                b = FloatVector.broadcast(F, x[xi + 2 * xs]);
                p20 = w0.fma(b, p20);
                p21 = w1.fma(b, p21);
                b = FloatVector.broadcast(F, x[xi + 3 * xs]);
                p30 = w0.fma(b, p30);
                p31 = w1.fma(b, p31);
                b = FloatVector.broadcast(F, x[xi + 4 * xs]);
                p40 = w0.fma(b, p40);
                p41 = w1.fma(b, p41);
                b = FloatVector.broadcast(F, x[xi + 5 * xs]);
                p50 = w0.fma(b, p50);
                p51 = w1.fma(b, p51);
            }
            a00 = a00.add(p00);
            a01 = a01.add(p01);
            a10 = a10.add(p10);
            a11 = a11.add(p11);
            a20 = a20.add(p20);
            a21 = a21.add(p21);
            a30 = a30.add(p30);
            a31 = a31.add(p31);
            a40 = a40.add(p40);
            a41 = a41.add(p41);
            a50 = a50.add(p50);
            a51 = a51.add(p51);
        }
        a00.intoArray(acc, a0);
        a01.intoArray(acc, a0 + L);
        a10.intoArray(acc, a0 + ROWS);
        a11.intoArray(acc, a0 + ROWS + L);
        a20.intoArray(acc, a0 + 2 * ROWS);
        a21.intoArray(acc, a0 + 2 * ROWS + L);
        a30.intoArray(acc, a0 + 3 * ROWS);
        a31.intoArray(acc, a0 + 3 * ROWS + L);
        a40.intoArray(acc, a0 + 4 * ROWS);
        a41.intoArray(acc, a0 + 4 * ROWS + L);
        a50.intoArray(acc, a0 + 5 * ROWS);
        a51.intoArray(acc, a0 + 5 * ROWS + L);
    }

    /** One token: the same chains per output as {@link #kernel6}, so the same bits. */
    private static void kernel1(float[] p, int kLen, float[] x, int x0, float[] acc, int a0, boolean first) {
        FloatVector a0v = first ? FloatVector.zero(F) : FloatVector.fromArray(F, acc, a0);
        FloatVector a1v = first ? FloatVector.zero(F) : FloatVector.fromArray(F, acc, a0 + L);
        for (int s0 = 0; s0 < kLen; s0 += SPAN) {
            FloatVector p0 = FloatVector.zero(F), p1 = p0;
            int s1 = Math.min(kLen, s0 + SPAN);
            for (int k = s0; k < s1; k++) {
                FloatVector b = FloatVector.broadcast(F, x[x0 + k]);
                p0 = FloatVector.fromArray(F, p, k * ROWS).fma(b, p0);
                p1 = FloatVector.fromArray(F, p, k * ROWS + L).fma(b, p1);
            }
            a0v = a0v.add(p0);
            a1v = a1v.add(p1);
        }
        a0v.intoArray(acc, a0);
        a1v.intoArray(acc, a0 + L);
    }

    /** Tokens [t0, t1) of a panel's sums: plus bias, into or onto {@code target.out} rows [o0, o0 + rows). */
    private static void store(float[] acc, MatMul.Target target, int t0, int t1, int o0, int rows) {
        for (int t = t0; t < t1; t++) {
            int a = (t - t0) * ROWS;
            int at = t * target.stride() + o0;
            if (rows == ROWS) {
                put(FloatVector.fromArray(F, acc, a), target, at, o0);
                put(FloatVector.fromArray(F, acc, a + L), target, at + L, o0 + L);
                continue;
            }
            for (int h = 0; h < ROWS && h < rows; h += L) {
                VectorMask<Float> m = F.indexInRange(h, rows);
                FloatVector s = FloatVector.fromArray(F, acc, a + h);
                float[] bias = target.bias();
                if (bias != null) s = s.add(FloatVector.fromArray(F, bias, o0 + h, m));
                if (target.accumulate()) s = FloatVector.fromArray(F, target.out(), at + h, m).add(s);
                s.intoArray(target.out(), at + h, m);
            }
        }
    }

    private static void put(FloatVector s, MatMul.Target target, int at, int o) {
        float[] bias = target.bias();
        if (bias != null) s = s.add(FloatVector.fromArray(F, bias, o));
        if (target.accumulate()) s = FloatVector.fromArray(F, target.out(), at).add(s);
        s.intoArray(target.out(), at);
    }

    /** gate.out = silu(gate sums + bias) * (up sums + bias) for tokens [t0, t1), rows [o0, o0 + rows). */
    private static void swiGlu(float[] gate, float[] up, MatMul.Target g, MatMul.Target u, int t0, int t1, int o0, int rows) {
        float[] gBias = g.bias(), uBias = u.bias();
        for (int t = t0; t < t1; t++) {
            int a = (t - t0) * ROWS;
            if (gBias != null) for (int r = 0; r < rows; r++) gate[a + r] += gBias[o0 + r];
            if (uBias != null) for (int r = 0; r < rows; r++) up[a + r] += uBias[o0 + r];
            CpuKernels.swiGlu(gate, a, up, a, rows);
            System.arraycopy(gate, a, g.out(), t * g.stride() + o0, rows);
        }
    }
}
