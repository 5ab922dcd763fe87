package dev.srr.compute;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The many-token GEMM {@code out[t, o] = sum_k x[t, k] * w[o, k]}: per panel of {@link #ROWS} output rows the
 * weights are widened once into k-major float chunks ({@link WeightPanels}), then every token runs a register
 * micro-kernel that broadcasts {@code x[t, k]} and FMAs it with the panel's row vectors. Accumulators are indexed
 * by output row, so no horizontal sums; {@link #TOKENS} tokens share each panel load.
 *
 * <p>Summation order: every output is one float32 FMA chain over k = 0, 1, ..., in order, whatever the token
 * group, panel, chunk or thread. Results are the same bits for any thread count and any grouping of the rows.
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
    /**
     * Input columns per partial sum: each output is a chain of FMAs over SPAN columns, added to a running total
     * (two-level summation). A single chain over all of k would round about k / SPAN times more.
     */
    static final int SPAN = Integer.getInteger("srr.matmul.span", 16);

    /** A thread's unpacked panels: one set per weight of a fused pass (gate and up). */
    private static final ThreadLocal<Panels[]> SCRATCH = ThreadLocal.withInitial(() -> new Panels[]{new Panels(), new Panels()});

    private PanelGemm() {
    }

    /** Panels of {@code rows} output rows. */
    static int panels(int rows) {
        return (rows + ROWS - 1) / ROWS;
    }

    /** Output rows of panels [p0, p1) of {@code target} for all {@code tokens} rows of {@code x}, on this thread. */
    static void run(float[] x, int tokens, int inW, MatMul.Target target, int p0, int p1) {
        Panels panels = SCRATCH.get()[0];
        for (int p = p0; p < p1; p++) {
            int o0 = p * ROWS;
            int rows = Math.min(ROWS, target.rows() - o0);
            panels.load(target, o0, rows, inW);
            int t = 0;
            for (; t + TOKENS <= tokens; t += TOKENS) kernel6(panels.chunks, inW, x, t, target, o0, rows);
            for (; t < tokens; t++) kernel1(panels.chunks, inW, x, t, target, o0, rows);
        }
    }

    /**
     * Panels [p0, p1) of the gate and up projections with SwiGLU fused: {@code gate.out = silu(gate) * up} for
     * each token group while its rows are in cache ({@code up.out} is scratch).
     */
    static void runGateUp(float[] x, int tokens, int inW, MatMul.Target gate, MatMul.Target up, int p0, int p1) {
        Panels[] scratch = SCRATCH.get();
        Panels g = scratch[0], u = scratch[1];
        for (int p = p0; p < p1; p++) {
            int o0 = p * ROWS;
            int rows = Math.min(ROWS, gate.rows() - o0);
            g.load(gate, o0, rows, inW);
            u.load(up, o0, rows, inW);
            int t = 0;
            for (; t + TOKENS <= tokens; t += TOKENS) {
                kernel6(g.chunks, inW, x, t, gate, o0, rows);
                kernel6(u.chunks, inW, x, t, up, o0, rows);
                swiGlu(gate, up, t, TOKENS, o0, rows);
            }
            for (; t < tokens; t++) {
                kernel1(g.chunks, inW, x, t, gate, o0, rows);
                kernel1(u.chunks, inW, x, t, up, o0, rows);
                swiGlu(gate, up, t, 1, o0, rows);
            }
        }
    }

    private static void swiGlu(MatMul.Target gate, MatMul.Target up, int t0, int n, int o0, int rows) {
        for (int t = t0; t < t0 + n; t++) {
            CpuKernels.swiGlu(gate.out(), t * gate.stride() + o0, up.out(), t * up.stride() + o0, rows);
        }
    }

    /** One panel's k-major chunks, {@link #ROWS} floats per column, rows past the weight's end zero. */
    private static final class Panels {
        float[][] chunks = new float[0][];
        /** A tail panel (fewer rows) as {@link WeightPanels#unpack} lays it out, before padding to ROWS. */
        final float[] narrow = new float[ROWS * CHUNK];

        void load(MatMul.Target target, int o0, int rows, int inW) {
            int n = (inW + CHUNK - 1) / CHUNK;
            if (chunks.length < n) {
                float[][] grown = java.util.Arrays.copyOf(chunks, n);
                for (int c = chunks.length; c < n; c++) grown[c] = new float[ROWS * CHUNK];
                chunks = grown;
            }
            for (int c = 0; c < n; c++) {
                int k0 = c * CHUNK;
                int kLen = Math.min(CHUNK, inW - k0);
                float[] chunk = chunks[c];
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

    /** Tokens t..t+5 times one panel, stored to {@code target} rows [o0, o0 + rows). */
    private static void kernel6(float[][] chunks, int inW, float[] x, int t, MatMul.Target target, int o0, int rows) {
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00;
        FloatVector a30 = a00, a31 = a00, a40 = a00, a41 = a00, a50 = a00, a51 = a00;
        int x0 = t * inW;
        for (int c = 0, k0 = 0; k0 < inW; c++, k0 += CHUNK) {
            float[] p = chunks[c];
            int kLen = Math.min(CHUNK, inW - k0);
            int xb = x0 + k0;
            for (int s0 = 0; s0 < kLen; s0 += SPAN) {
                FloatVector p00 = FloatVector.zero(F), p01 = p00, p10 = p00, p11 = p00, p20 = p00, p21 = p00;
                FloatVector p30 = p00, p31 = p00, p40 = p00, p41 = p00, p50 = p00, p51 = p00;
                int s1 = Math.min(kLen, s0 + SPAN);
                for (int k = s0; k < s1; k++) {
                    FloatVector w0 = FloatVector.fromArray(F, p, k * ROWS);
                    FloatVector w1 = FloatVector.fromArray(F, p, k * ROWS + L);
                    int xi = xb + k;
                    FloatVector b = FloatVector.broadcast(F, x[xi]);
                    p00 = w0.fma(b, p00);
                    p01 = w1.fma(b, p01);
                    b = FloatVector.broadcast(F, x[xi + inW]);
                    p10 = w0.fma(b, p10);
                    p11 = w1.fma(b, p11);
                    b = FloatVector.broadcast(F, x[xi + 2 * inW]);
                    p20 = w0.fma(b, p20);
                    p21 = w1.fma(b, p21);
                    b = FloatVector.broadcast(F, x[xi + 3 * inW]);
                    p30 = w0.fma(b, p30);
                    p31 = w1.fma(b, p31);
                    b = FloatVector.broadcast(F, x[xi + 4 * inW]);
                    p40 = w0.fma(b, p40);
                    p41 = w1.fma(b, p41);
                    b = FloatVector.broadcast(F, x[xi + 5 * inW]);
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
        }
        store(a00, a01, target, t, o0, rows);
        store(a10, a11, target, t + 1, o0, rows);
        store(a20, a21, target, t + 2, o0, rows);
        store(a30, a31, target, t + 3, o0, rows);
        store(a40, a41, target, t + 4, o0, rows);
        store(a50, a51, target, t + 5, o0, rows);
    }

    /** Token t times one panel: the same FMA chain per output as {@link #kernel6}, so the same bits. */
    private static void kernel1(float[][] chunks, int inW, float[] x, int t, MatMul.Target target, int o0, int rows) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0;
        int x0 = t * inW;
        for (int c = 0, k0 = 0; k0 < inW; c++, k0 += CHUNK) {
            float[] p = chunks[c];
            int kLen = Math.min(CHUNK, inW - k0);
            int xb = x0 + k0;
            for (int s0 = 0; s0 < kLen; s0 += SPAN) {
                FloatVector p0 = FloatVector.zero(F), p1 = p0;
                int s1 = Math.min(kLen, s0 + SPAN);
                for (int k = s0; k < s1; k++) {
                    FloatVector b = FloatVector.broadcast(F, x[xb + k]);
                    p0 = FloatVector.fromArray(F, p, k * ROWS).fma(b, p0);
                    p1 = FloatVector.fromArray(F, p, k * ROWS + L).fma(b, p1);
                }
                a0 = a0.add(p0);
                a1 = a1.add(p1);
            }
        }
        store(a0, a1, target, t, o0, rows);
    }

    /** Token t's sums for rows o0.. (two vectors, the first {@code rows} lanes valid): plus bias, into or onto out. */
    private static void store(FloatVector lo, FloatVector hi, MatMul.Target target, int t, int o0, int rows) {
        int at = t * target.stride() + o0;
        if (rows == ROWS) {
            put(lo, target, at, o0);
            put(hi, target, at + L, o0 + L);
            return;
        }
        putMasked(lo, target, at, o0, F.indexInRange(0, rows));
        if (rows > L) putMasked(hi, target, at + L, o0 + L, F.indexInRange(L, rows));
    }

    private static void put(FloatVector s, MatMul.Target target, int at, int o) {
        float[] bias = target.bias();
        if (bias != null) s = s.add(FloatVector.fromArray(F, bias, o));
        if (target.accumulate()) s = FloatVector.fromArray(F, target.out(), at).add(s);
        s.intoArray(target.out(), at);
    }

    private static void putMasked(FloatVector s, MatMul.Target target, int at, int o, VectorMask<Float> m) {
        float[] bias = target.bias();
        if (bias != null) s = s.add(FloatVector.fromArray(F, bias, o, m));
        if (target.accumulate()) s = FloatVector.fromArray(F, target.out(), at, m).add(s);
        s.intoArray(target.out(), at, m);
    }
}
