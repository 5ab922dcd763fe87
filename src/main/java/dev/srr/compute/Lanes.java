package dev.srr.compute;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Horizontal sums in a fixed order. {@code reduceLanes(ADD)} on floats may add lanes in a different order in the
 * interpreter and in compiled code, so the same input could give results one rounding apart depending on JIT
 * state; folding halves with explicit shuffles gives the same bits at every tier and every run. The shuffles are
 * constants of the kernels' one species ({@link Vec#F}), so the JIT compiles each fold to a permute and an add.
 */
final class Lanes {
    private static final VectorSpecies<Float> F = Vec.F;
    private static final int L = Vec.L;
    private static final VectorShuffle<Float> FOLD_HALF = fold(L / 2);
    private static final VectorShuffle<Float> FOLD_QUARTER = fold(L / 4);
    private static final VectorShuffle<Float> FOLD_EIGHTH = fold(L / 8);
    private static final VectorShuffle<Float> FOLD_SIXTEENTH = fold(L / 16);

    private Lanes() {
    }

    private static VectorShuffle<Float> fold(int distance) {
        return distance < 1 ? null : VectorShuffle.fromOp(F, i -> (i + distance) % L);
    }

    /** The sum of all lanes of a {@link Vec#F} vector: (l0 + l[n/2]) + ... in one fixed order. */
    static float sum(FloatVector v) {
        FloatVector x = v.add(v.rearrange(FOLD_HALF));
        if (L >= 4) x = x.add(x.rearrange(FOLD_QUARTER));
        if (L >= 8) x = x.add(x.rearrange(FOLD_EIGHTH));
        if (L >= 16) x = x.add(x.rearrange(FOLD_SIXTEENTH));
        return x.lane(0);
    }
}
