package dev.srr.compute;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * e^x in float32, written with plain IEEE operations (multiply, add, fused multiply-add, integer shifts) so that
 * the vector form, the scalar form and every JIT tier give the same bits. {@code lanewise(EXP)} does not: compiled
 * code calls a vector math library while the interpreter computes lane by lane with {@code Math.exp}, so a kernel's
 * result depended on whether it had been compiled yet.
 *
 * <p>Method: clamp x to [-87, 88] (results stay normal and finite), n = round(x log2 e) by adding and subtracting
 * 1.5 * 2^23, r = x - n ln 2 in two parts (Cody and Waite), e^r by the degree-6 minimax polynomial of Cephes'
 * {@code expf} (relative error below 2 ulp), then scaling by 2^n built in the exponent bits.
 */
final class Exp {
    private static final float LO = -87f;
    private static final float HI = 88f;
    private static final float LOG2E = 1.44269504088896341f;
    private static final float ROUND = 12582912f; // 1.5 * 2^23: adding it rounds a float below 2^22 to an integer
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float C5 = 1.9875691500e-4f;
    private static final float C4 = 1.3981999507e-3f;
    private static final float C3 = 8.3334519073e-3f;
    private static final float C2 = 4.1665795894e-2f;
    private static final float C1 = 1.6666665459e-1f;
    private static final float C0 = 5.0000001201e-1f;

    private Exp() {
    }

    /** e^x for every lane. */
    static FloatVector exp(FloatVector v) {
        FloatVector x = v.max(LO).min(HI);
        FloatVector n = x.fma(LOG2E, ROUND).sub(ROUND);
        FloatVector r = n.fma(v.broadcast(-LN2_HI), x);
        r = n.fma(v.broadcast(-LN2_LO), r);
        FloatVector p = r.fma(C5, C4);
        p = p.fma(r, v.broadcast(C3));
        p = p.fma(r, v.broadcast(C2));
        p = p.fma(r, v.broadcast(C1));
        p = p.fma(r, v.broadcast(C0));
        FloatVector y = p.fma(r.mul(r), r).add(1f);
        IntVector bits = ((IntVector) n.convert(VectorOperators.F2I, 0)).add(127).lanewise(VectorOperators.LSHL, 23);
        return y.mul(bits.reinterpretAsFloats());
    }

    /** e^x, the same operations as one lane of {@link #exp(FloatVector)}. */
    static float exp(float v) {
        float x = Math.min(Math.max(v, LO), HI);
        float n = Math.fma(x, LOG2E, ROUND) - ROUND;
        float r = Math.fma(n, -LN2_HI, x);
        r = Math.fma(n, -LN2_LO, r);
        float p = Math.fma(r, C5, C4);
        p = Math.fma(p, r, C3);
        p = Math.fma(p, r, C2);
        p = Math.fma(p, r, C1);
        p = Math.fma(p, r, C0);
        float y = Math.fma(p, r * r, r) + 1f;
        return y * Float.intBitsToFloat(((int) n + 127) << 23);
    }
}
