package dev.srr.compute;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.nio.ByteOrder;

/**
 * The vector shape every CPU kernel uses: the machine's preferred one, or {@code -Dsrr.vectorBits=256|512}
 * (e.g. to avoid AVX-512 clock drops). Constant after class init so the JIT folds it into the kernels.
 */
final class Vec {
    static final VectorShape SHAPE = Integer.getInteger("srr.vectorBits", 0) > 0
            ? VectorShape.forBitSize(Integer.getInteger("srr.vectorBits")) : VectorShape.preferredShape();
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED.withShape(SHAPE);
    static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED.withShape(SHAPE);
    /** Floats per vector. */
    static final int L = F.length();
    static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private Vec() {
    }
}
