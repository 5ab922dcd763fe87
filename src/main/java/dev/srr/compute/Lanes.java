package dev.srr.compute;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Horizontal sums in a fixed order. {@code reduceLanes(ADD)} on floats may add lanes in a different order in the
 * interpreter and in compiled code, so the same input could give results one rounding apart depending on JIT
 * state; folding halves with explicit shuffles gives the same bits at every tier and every run.
 */
public final class Lanes {
    private static final VectorShuffle<Float>[][] FOLDS = new VectorShuffle[17][];

    static {
        for (VectorSpecies<Float> s : new VectorSpecies[]{FloatVector.SPECIES_64, FloatVector.SPECIES_128,
                FloatVector.SPECIES_256, FloatVector.SPECIES_512}) {
            int n = s.length();
            int steps = Integer.numberOfTrailingZeros(n);
            @SuppressWarnings("unchecked")
            VectorShuffle<Float>[] folds = new VectorShuffle[steps];
            for (int k = 0, half = n / 2; half >= 1; k++, half /= 2) {
                int h = half;
                folds[k] = VectorShuffle.fromOp(s, i -> (i + h) % n);
            }
            FOLDS[n] = folds;
        }
    }

    private Lanes() {
    }

    /** The sum of all lanes, folding halves: (l0 + l[n/2]) + ... in one fixed order. */
    public static float sum(FloatVector v) {
        FloatVector x = v;
        for (VectorShuffle<Float> fold : FOLDS[v.length()]) x = x.add(x.rearrange(fold));
        return x.lane(0);
    }
}
