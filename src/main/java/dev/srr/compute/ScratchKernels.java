package dev.srr.compute;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link F32Kernels}' tiles over weight rows decoded into a float array (heap) rather than mapped memory: the
 * same fused multiply-adds in the same order per (row, token) pair, so the sums are bit-identical to them. Kept
 * apart so each kernel's memory accesses stay of one kind, which the JIT compiles best.
 */
final class ScratchKernels {
    private static final VectorSpecies<Float> F = Vec.F;
    private static final int L = Vec.L;

    private ScratchKernels() {
    }

    /**
     * Rows r..r+3 of {@code w} (from {@code w0}, {@code ws} apart) times tokens t..t+3 of {@code x} (from
     * {@code x0}, {@code xs} apart), {@code n} values each, into {@code sums[t * 4 + r]}.
     */
    static void tile4x4(float[] w, int w0, int ws, float[] x, int x0, int xs, int n, float[] sums) {
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        int bound = n - n % L;
        for (int i = 0; i < bound; i += L) {
            int b = w0 + i;
            FloatVector v0 = FloatVector.fromArray(F, w, b);
            FloatVector v1 = FloatVector.fromArray(F, w, b + ws);
            FloatVector v2 = FloatVector.fromArray(F, w, b + 2 * ws);
            FloatVector v3 = FloatVector.fromArray(F, w, b + 3 * ws);
            int xi = x0 + i;
            FloatVector xe = FloatVector.fromArray(F, x, xi);
            a00 = v0.fma(xe, a00);
            a01 = v1.fma(xe, a01);
            a02 = v2.fma(xe, a02);
            a03 = v3.fma(xe, a03);
            xe = FloatVector.fromArray(F, x, xi + xs);
            a10 = v0.fma(xe, a10);
            a11 = v1.fma(xe, a11);
            a12 = v2.fma(xe, a12);
            a13 = v3.fma(xe, a13);
            xe = FloatVector.fromArray(F, x, xi + 2 * xs);
            a20 = v0.fma(xe, a20);
            a21 = v1.fma(xe, a21);
            a22 = v2.fma(xe, a22);
            a23 = v3.fma(xe, a23);
            xe = FloatVector.fromArray(F, x, xi + 3 * xs);
            a30 = v0.fma(xe, a30);
            a31 = v1.fma(xe, a31);
            a32 = v2.fma(xe, a32);
            a33 = v3.fma(xe, a33);
        }
        sums[0] = Lanes.sum(a00);
        sums[1] = Lanes.sum(a01);
        sums[2] = Lanes.sum(a02);
        sums[3] = Lanes.sum(a03);
        sums[4] = Lanes.sum(a10);
        sums[5] = Lanes.sum(a11);
        sums[6] = Lanes.sum(a12);
        sums[7] = Lanes.sum(a13);
        sums[8] = Lanes.sum(a20);
        sums[9] = Lanes.sum(a21);
        sums[10] = Lanes.sum(a22);
        sums[11] = Lanes.sum(a23);
        sums[12] = Lanes.sum(a30);
        sums[13] = Lanes.sum(a31);
        sums[14] = Lanes.sum(a32);
        sums[15] = Lanes.sum(a33);
        for (int i = bound; i < n; i++) {
            for (int r = 0; r < 4; r++) {
                float wv = w[w0 + r * ws + i];
                for (int t = 0; t < 4; t++) sums[t * 4 + r] += wv * x[x0 + t * xs + i];
            }
        }
    }

    /** One row times one token: {@code sum_i w[w0 + i] * x[x0 + i]}, vector lanes first, then the tail. */
    static float dot(float[] w, int w0, float[] x, int x0, int n) {
        FloatVector a = FloatVector.zero(F);
        int bound = n - n % L;
        for (int i = 0; i < bound; i += L) a = FloatVector.fromArray(F, w, w0 + i).fma(FloatVector.fromArray(F, x, x0 + i), a);
        float s = Lanes.sum(a);
        for (int i = bound; i < n; i++) s += w[w0 + i] * x[x0 + i];
        return s;
    }
}
