package dev.srr.compute;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;

import static dev.srr.compute.Vec.LE;

/**
 * Dot products of BF16 weight rows with prepared float activations. One int-lane load carries two bf16
 * values: shifted left 16 it is the even element, masked to the top half it is the odd one, so widening is
 * two cheap lane ops and no shuffle. The activations are laid out to match ({@link Packing#PAIRED}).
 * Kernels compute a tile of rows x tokens so each weight load feeds several tokens and each activation load
 * several rows; sums stay in float32.
 */
final class Bf16Kernels {
    private static final VectorSpecies<Float> F = Vec.F;
    private static final VectorSpecies<Integer> I = Vec.I;
    private static final int L = Vec.L;
    /** Weights consumed per int-vector load. */
    static final int STEP = 2 * L;
    private static final int HIGH = 0xFFFF0000;

    private Bf16Kernels() {
    }

    static FloatVector even(IntVector w) {
        return w.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    static FloatVector odd(IntVector w) {
        return w.and(HIGH).reinterpretAsFloats();
    }

    static float scalar(MemorySegment w, long byteOff) {
        return Float.intBitsToFloat(w.get(dev.srr.tensor.Tensor.I16_LE, byteOff) << 16);
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
            long b = w0 + 2L * i;
            IntVector v0 = IntVector.fromMemorySegment(I, w, b, LE);
            IntVector v1 = IntVector.fromMemorySegment(I, w, b + rowBytes, LE);
            IntVector v2 = IntVector.fromMemorySegment(I, w, b + 2 * rowBytes, LE);
            IntVector v3 = IntVector.fromMemorySegment(I, w, b + 3 * rowBytes, LE);
            FloatVector e0 = even(v0), o0 = odd(v0), e1 = even(v1), o1 = odd(v1);
            FloatVector e2 = even(v2), o2 = odd(v2), e3 = even(v3), o3 = odd(v3);
            int xi = x0 + i;
            FloatVector xe = FloatVector.fromArray(F, x, xi), xo = FloatVector.fromArray(F, x, xi + L);
            a00 = o0.fma(xo, e0.fma(xe, a00));
            a01 = o1.fma(xo, e1.fma(xe, a01));
            a02 = o2.fma(xo, e2.fma(xe, a02));
            a03 = o3.fma(xo, e3.fma(xe, a03));
            xi += xs;
            xe = FloatVector.fromArray(F, x, xi);
            xo = FloatVector.fromArray(F, x, xi + L);
            a10 = o0.fma(xo, e0.fma(xe, a10));
            a11 = o1.fma(xo, e1.fma(xe, a11));
            a12 = o2.fma(xo, e2.fma(xe, a12));
            a13 = o3.fma(xo, e3.fma(xe, a13));
            xi += xs;
            xe = FloatVector.fromArray(F, x, xi);
            xo = FloatVector.fromArray(F, x, xi + L);
            a20 = o0.fma(xo, e0.fma(xe, a20));
            a21 = o1.fma(xo, e1.fma(xe, a21));
            a22 = o2.fma(xo, e2.fma(xe, a22));
            a23 = o3.fma(xo, e3.fma(xe, a23));
            xi += xs;
            xe = FloatVector.fromArray(F, x, xi);
            xo = FloatVector.fromArray(F, x, xi + L);
            a30 = o0.fma(xo, e0.fma(xe, a30));
            a31 = o1.fma(xo, e1.fma(xe, a31));
            a32 = o2.fma(xo, e2.fma(xe, a32));
            a33 = o3.fma(xo, e3.fma(xe, a33));
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
                float wv = scalar(w, w0 + r * rowBytes + 2L * i);
                for (int t = 0; t < 4; t++) sums[t * 4 + r] += wv * x[x0 + t * xs + i];
            }
        }
    }

    /** Rows o..o+3 times one token into sums[0..3]: the decode (matrix x vector) kernel. */
    static void tile4x1(MemorySegment w, long w0, long rowBytes, float[] x, int x0, int n, float[] sums) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        FloatVector b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        int bound = n - n % STEP;
        for (int i = 0; i < bound; i += STEP) {
            long b = w0 + 2L * i;
            IntVector v0 = IntVector.fromMemorySegment(I, w, b, LE);
            IntVector v1 = IntVector.fromMemorySegment(I, w, b + rowBytes, LE);
            IntVector v2 = IntVector.fromMemorySegment(I, w, b + 2 * rowBytes, LE);
            IntVector v3 = IntVector.fromMemorySegment(I, w, b + 3 * rowBytes, LE);
            FloatVector xe = FloatVector.fromArray(F, x, x0 + i), xo = FloatVector.fromArray(F, x, x0 + i + L);
            a0 = even(v0).fma(xe, a0);
            b0 = odd(v0).fma(xo, b0);
            a1 = even(v1).fma(xe, a1);
            b1 = odd(v1).fma(xo, b1);
            a2 = even(v2).fma(xe, a2);
            b2 = odd(v2).fma(xo, b2);
            a3 = even(v3).fma(xe, a3);
            b3 = odd(v3).fma(xo, b3);
        }
        sums[0] = Lanes.sum(a0.add(b0));
        sums[1] = Lanes.sum(a1.add(b1));
        sums[2] = Lanes.sum(a2.add(b2));
        sums[3] = Lanes.sum(a3.add(b3));
        for (int i = bound; i < n; i++) {
            float xv = x[x0 + i];
            for (int r = 0; r < 4; r++) sums[r] += scalar(w, w0 + r * rowBytes + 2L * i) * xv;
        }
    }

    /** One row times one token (leftover rows). */
    static float dot(MemorySegment w, long w0, float[] x, int x0, int n) {
        FloatVector a = FloatVector.zero(F), b = a;
        int bound = n - n % STEP;
        for (int i = 0; i < bound; i += STEP) {
            IntVector v = IntVector.fromMemorySegment(I, w, w0 + 2L * i, LE);
            a = even(v).fma(FloatVector.fromArray(F, x, x0 + i), a);
            b = odd(v).fma(FloatVector.fromArray(F, x, x0 + i + L), b);
        }
        float s = Lanes.sum(a.add(b));
        for (int i = bound; i < n; i++) s += scalar(w, w0 + 2L * i) * x[x0 + i];
        return s;
    }
}
