package dev.srr.compute;

import dev.srr.tensor.DType;
import dev.srr.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The matmul kernels against a plain double-precision reference, on sizes that are not multiples of any vector. */
class MatMulTest {
    static final int[] IN_WIDTHS = {1, 7, 31, 33, 67, 100, 131};
    static final int[] OUT_WIDTHS = {1, 3, 5, 13};
    static final int[] TOKENS = {1, 3, 5, 9, MatMul.TOKEN_BLOCK + 6};

    /** A random [rows, cols] tensor of the dtype in off-heap memory, like a mapped checkpoint. */
    static Tensor random(DType dt, int rows, int cols, Random rnd) {
        MemorySegment seg = Arena.ofAuto().allocate((long) rows * cols * dt.bytes);
        for (long i = 0; i < (long) rows * cols; i++) {
            float v = (float) rnd.nextGaussian();
            switch (dt) {
                case F32 -> seg.set(Tensor.F32_LE, i * 4, v);
                case F16 -> seg.set(Tensor.I16_LE, i * 2, Float.floatToFloat16(v));
                case BF16 -> seg.set(Tensor.I16_LE, i * 2, Tensor.floatToBf16(v));
            }
        }
        return new Tensor("w", dt, new long[]{rows, cols}, seg);
    }

    static float[] gaussian(int n, Random rnd) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rnd.nextGaussian();
        return a;
    }

    /** Reference dot product in double; also returns the sum of |terms| as the error scale. */
    static double[] reference(Tensor w, int o, float[] x, int xOff, int n) {
        double s = 0, scale = 0;
        for (int i = 0; i < n; i++) {
            double term = (double) w.get((long) o * n + i) * x[xOff + i];
            s += term;
            scale += Math.abs(term);
        }
        return new double[]{s, scale};
    }

    static void assertClose(double expected, double scale, float actual, String where) {
        // float32 accumulation over n terms: error well below 1e-6 of the absolute sum for these sizes
        assertTrue(Math.abs(actual - expected) <= 1e-6 * scale + 1e-30, where + ": " + actual + " vs " + expected);
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F16", "BF16"})
    void linearMatchesDoubleReference(DType dt) {
        Random rnd = new Random(dt.ordinal());
        for (int inW : IN_WIDTHS) {
            for (int outW : OUT_WIDTHS) {
                Tensor w = random(dt, outW, inW, rnd);
                float[] bias = gaussian(outW, rnd);
                for (int tokens : TOKENS) {
                    float[] x = gaussian(tokens * inW, rnd);
                    float[] out = new float[tokens * outW];
                    CpuKernels.linear(x, out, tokens, inW, outW, w, bias);
                    for (int t = 0; t < tokens; t++) {
                        for (int o = 0; o < outW; o++) {
                            double[] ref = reference(w, o, x, t * inW, inW);
                            assertClose(ref[0] + bias[o], ref[1] + Math.abs(bias[o]), out[t * outW + o],
                                    dt + " in=" + inW + " out=" + outW + " tokens=" + tokens + " [" + t + "," + o + "]");
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F16", "BF16"})
    void groupedProjectionsAccumulateAndGateUpMatchSeparateOps(DType dt) {
        Random rnd = new Random(11 + dt.ordinal());
        int inW = 67, tokens = 6;
        Tensor a = random(dt, 13, inW, rnd), b = random(dt, 5, inW, rnd);
        float[] x = gaussian(tokens * inW, rnd);
        float[] packed = new float[x.length];
        Packing.of(dt).pack(x, tokens, inW, packed);

        float[] outA = new float[tokens * 13];
        float[] outB = gaussian(tokens * 5, rnd);
        float[] before = outB.clone();
        MatMul.linear(packed, tokens, inW, new MatMul.Target(a, null, outA, 13, false), new MatMul.Target(b, null, outB, 5, true));
        float[] soloA = new float[tokens * 13], soloB = new float[tokens * 5];
        CpuKernels.linear(x, soloA, tokens, inW, 13, a, null);
        CpuKernels.linear(x, soloB, tokens, inW, 5, b, null);
        for (int i = 0; i < soloA.length; i++) assertEquals(soloA[i], outA[i], "grouped " + i);
        for (int i = 0; i < soloB.length; i++) assertEquals(before[i] + soloB[i], outB[i], "accumulated " + i);

        Tensor g = random(dt, 13, inW, rnd), u = random(dt, 13, inW, rnd);
        float[] gate = new float[tokens * 13], up = new float[tokens * 13];
        MatMul.gateUp(packed, tokens, inW, new MatMul.Target(g, null, gate, 13, false), new MatMul.Target(u, null, up, 13, false));
        for (int t = 0; t < tokens; t++) {
            for (int o = 0; o < 13; o++) {
                double gv = reference(g, o, x, t * inW, inW)[0];
                double uv = reference(u, o, x, t * inW, inW)[0];
                double expected = gv / (1 + Math.exp(-gv)) * uv;
                assertEquals(expected, gate[t * 13 + o], 1e-5 * (1 + Math.abs(expected)), dt + " swiglu [" + t + "," + o + "]");
            }
        }
    }

    @Test
    void f16WidensEveryFiniteHalfExactlyAndKeepsInfinityAndNaN() {
        int inW = 64, rows = 1024; // 65536 halves: every bit pattern once
        MemorySegment seg = Arena.ofAuto().allocate(2L * inW * rows);
        for (int i = 0; i < 65536; i++) {
            boolean special = (i & 0x7C00) == 0x7C00;
            seg.set(Tensor.I16_LE, 2L * i, (short) (special ? 0 : i));
        }
        Tensor w = new Tensor("w", DType.F16, new long[]{rows, inW}, seg);
        float[] identity = new float[inW * inW];
        for (int j = 0; j < inW; j++) identity[j * inW + j] = 1f;
        float[] out = new float[inW * rows];
        CpuKernels.linear(identity, out, inW, inW, rows, w, null);
        for (int i = 0; i < 65536; i++) {
            float expected = (i & 0x7C00) == 0x7C00 ? 0f : Float.float16ToFloat((short) i);
            float actual = out[(i % inW) * rows + i / inW];
            assertEquals(Float.floatToIntBits(expected) & 0x7FFFFFFF, Float.floatToIntBits(actual) & 0x7FFFFFFF, "half 0x" + Integer.toHexString(i));
        }
        for (short bits : new short[]{(short) 0x7C00, (short) 0xFC00, (short) 0x7E00}) {
            MemorySegment one = Arena.ofAuto().allocate(2L * 40);
            one.set(Tensor.I16_LE, 2L * 5, bits); // inside the first vector block
            float[] res = new float[1];
            CpuKernels.linear(ones(40), res, 1, 40, 1, new Tensor("s", DType.F16, new long[]{1, 40}, one), null);
            assertEquals(Float.float16ToFloat(bits), res[0], "special 0x" + Integer.toHexString(bits & 0xFFFF));
        }
    }

    static float[] ones(int n) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, 1f);
        return a;
    }
}
