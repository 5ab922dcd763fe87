package dev.srr.compute;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;

import static dev.srr.compute.Vec.LE;

/**
 * Dot products of F32 weight rows with float activations in natural order ({@link Packing#NATURAL}).
 * Kernels compute a tile of rows x tokens so each weight load feeds several tokens and each activation load
 * several rows; sums stay in float32.
 */
final class F32Kernels {
    private static final VectorSpecies<Float> F = Vec.F;
    private static final int L = Vec.L;
    /** Weights consumed per vector load. */
    static final int STEP = L;

    private F32Kernels() {
    }

    static float scalar(MemorySegment w, long byteOff) {
        return w.get(dev.srr.tensor.Tensor.F32_LE, byteOff);
    }

    /**
     * Rows o..o+3 (weight bytes from {@code w0}, {@code rowBytes} apart) times tokens t..t+3 (activations from
     * {@code x0}, {@code xs} apart) into {@code sums[16]}, row-major by token: sums[t * 4 + r].
     */
    static void tile4x4(MemorySegment w, long w0, long rowBytes, float[] x, int x0, int xs, int n, float[] sums) {
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        int bound = n - n % STEP;
        for (int i = 0; i < bound; i += STEP) {
            long b = w0 + 4L * i;
            FloatVector v0 = FloatVector.fromMemorySegment(F, w, b, LE);
            FloatVector v1 = FloatVector.fromMemorySegment(F, w, b + rowBytes, LE);
            FloatVector v2 = FloatVector.fromMemorySegment(F, w, b + 2 * rowBytes, LE);
            FloatVector v3 = FloatVector.fromMemorySegment(F, w, b + 3 * rowBytes, LE);
            int xi = x0 + i;
            FloatVector xe = FloatVector.fromArray(F, x, xi);
            a00 = v0.fma(xe, a00);
            a01 = v1.fma(xe, a01);
            a02 = v2.fma(xe, a02);
            a03 = v3.fma(xe, a03);
            xi += xs;
            xe = FloatVector.fromArray(F, x, xi);
            a10 = v0.fma(xe, a10);
            a11 = v1.fma(xe, a11);
            a12 = v2.fma(xe, a12);
            a13 = v3.fma(xe, a13);
            xi += xs;
            xe = FloatVector.fromArray(F, x, xi);
            a20 = v0.fma(xe, a20);
            a21 = v1.fma(xe, a21);
            a22 = v2.fma(xe, a22);
            a23 = v3.fma(xe, a23);
            xi += xs;
            xe = FloatVector.fromArray(F, x, xi);
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
                float wv = scalar(w, w0 + r * rowBytes + 4L * i);
                for (int t = 0; t < 4; t++) sums[t * 4 + r] += wv * x[x0 + t * xs + i];
            }
        }
    }

    /** Rows o..o+3 times one token into sums[0..3]: the decode (matrix x vector) kernel. */
    static void tile4x1(MemorySegment w, long w0, long rowBytes, float[] x, int x0, int n, float[] sums) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int bound = n - n % STEP;
        for (int i = 0; i < bound; i += STEP) {
            long b = w0 + 4L * i;
            FloatVector v0 = FloatVector.fromMemorySegment(F, w, b, LE);
            FloatVector v1 = FloatVector.fromMemorySegment(F, w, b + rowBytes, LE);
            FloatVector v2 = FloatVector.fromMemorySegment(F, w, b + 2 * rowBytes, LE);
            FloatVector v3 = FloatVector.fromMemorySegment(F, w, b + 3 * rowBytes, LE);
            FloatVector xe = FloatVector.fromArray(F, x, x0 + i);
            a0 = v0.fma(xe, a0);
            a1 = v1.fma(xe, a1);
            a2 = v2.fma(xe, a2);
            a3 = v3.fma(xe, a3);
        }
        sums[0] = Lanes.sum(a0);
        sums[1] = Lanes.sum(a1);
        sums[2] = Lanes.sum(a2);
        sums[3] = Lanes.sum(a3);
        for (int i = bound; i < n; i++) {
            float xv = x[x0 + i];
            for (int r = 0; r < 4; r++) sums[r] += scalar(w, w0 + r * rowBytes + 4L * i) * xv;
        }
    }

    /** One row times one token (leftover rows). */
    static float dot(MemorySegment w, long w0, float[] x, int x0, int n) {
        FloatVector a = FloatVector.zero(F);
        int bound = n - n % STEP;
        for (int i = 0; i < bound; i += STEP) {
            a = FloatVector.fromMemorySegment(F, w, w0 + 4L * i, LE).fma(FloatVector.fromArray(F, x, x0 + i), a);
        }
        float s = Lanes.sum(a);
        for (int i = bound; i < n; i++) s += scalar(w, w0 + 4L * i) * x[x0 + i];
        return s;
    }
}
