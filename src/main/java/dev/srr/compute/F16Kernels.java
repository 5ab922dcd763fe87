package dev.srr.compute;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;



/**
 * F16 to float widening in int lanes, for {@link WeightPanels}' prefill panels: one int-lane load carries two
 * halves (even element in the low 16 bits, odd in the high); the Vector API has no half-to-float conversion, so
 * exponent and mantissa are moved into float position and rescaled by 2^112 (exact for normals and subnormals),
 * Inf/NaN given the all-ones exponent, and the sign put back. (Decode decodes F16 rows with a plain loop that
 * C2 turns into the CPU's conversion instead: {@link BlockDecode}.)
 */
final class F16Kernels {
    private static final VectorSpecies<Float> F = Vec.F;
    private static final VectorSpecies<Integer> I = Vec.I;
    private static final int L = Vec.L;
    /** Weights consumed per int-vector load. */
    static final int STEP = 2 * L;
    private static final float RESCALE = 0x1p112f;

    private F16Kernels() {
    }

    static FloatVector even(IntVector w) {
        return widen(w);
    }

    static FloatVector odd(IntVector w) {
        return widen(w.lanewise(VectorOperators.LSHR, 16));
    }

    /** The half in the low 16 bits of each lane, as a float (bits above 16 are ignored). */
    private static FloatVector widen(IntVector h) {
        IntVector magnitude = h.and(0x7FFF).lanewise(VectorOperators.LSHL, 13);
        IntVector bits = magnitude.reinterpretAsFloats().mul(RESCALE).reinterpretAsInts();
        bits = bits.blend(magnitude.or(0x7F800000), magnitude.compare(VectorOperators.GE, 0x7C00 << 13));
        return bits.or(h.and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats();
    }
}
