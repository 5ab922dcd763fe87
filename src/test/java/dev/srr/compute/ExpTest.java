package dev.srr.compute;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kernels' exp: within 2 ulp of the exactly rounded value, and the vector lanes equal the scalar form bit for bit. */
class ExpTest {
    @Test
    void withinTwoUlpOfTheCorrectlyRoundedValueAndVectorEqualsScalar() {
        SplittableRandom rng = new SplittableRandom(3);
        int n = 1 << 16;
        float[] xs = new float[n];
        for (int i = 0; i < n; i++) xs[i] = (float) (rng.nextDouble() * 174 - 87);
        xs[0] = 0f;
        xs[1] = -0f;
        xs[2] = 1e-30f;
        xs[3] = -87f;
        xs[4] = 88f;
        float worst = 0;
        float[] out = new float[Vec.L];
        for (int i = 0; i + Vec.L <= n; i += Vec.L) {
            Exp.exp(FloatVector.fromArray(Vec.F, xs, i)).intoArray(out, 0);
            for (int j = 0; j < Vec.L; j++) {
                float x = xs[i + j];
                float scalar = Exp.exp(x);
                assertEquals(Float.floatToRawIntBits(scalar), Float.floatToRawIntBits(out[j]), "lane vs scalar at x = " + x);
                float exact = (float) StrictMath.exp(x);
                worst = Math.max(worst, Math.abs(scalar - exact) / Math.ulp(exact));
            }
        }
        System.out.printf("ExpTest: worst error %.2f ulp%n", worst);
        assertTrue(worst <= 2, "worst error " + worst + " ulp");
        assertEquals(0f, Exp.exp(-1000f), 1e-37f);
        assertTrue(Float.isFinite(Exp.exp(1000f)));
    }
}
