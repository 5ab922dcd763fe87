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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

    /** The same values as F32: F16 rows decode to float32 and run the F32 kernels' order, so the bits agree. */
    @Test
    void f16GivesTheBitsOfItsValuesAsF32() {
        Random rnd = new Random(11);
        for (int inW : new int[]{7, 64, 600}) {
            Tensor half = random(DType.F16, 37, inW, rnd);
            MemorySegment wide = Arena.ofAuto().allocate((long) 37 * inW * 4);
            for (long i = 0; i < 37L * inW; i++) wide.set(Tensor.F32_LE, i * 4, half.get(i));
            Tensor single = new Tensor("w", DType.F32, new long[]{37, inW}, wide);
            for (int tokens : new int[]{1, 2, 5, 9, MatMul.GEMM_MIN_TOKENS + 3}) {
                float[] x = gaussian(tokens * inW, rnd);
                float[] a = new float[tokens * 37], b = new float[tokens * 37];
                CpuKernels.linear(x, a, tokens, inW, 37, half, null);
                CpuKernels.linear(x, b, tokens, inW, 37, single, null);
                assertArrayEquals(b, a, "in=" + inW + " tokens=" + tokens);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F16", "BF16"})
    void gemmWithRowColumnAndTokenTailsMatchesDoubleReference(DType dt) {
        Random rnd = new Random(3 + dt.ordinal());
        int g = MatMul.GEMM_MIN_TOKENS;
        for (int inW : new int[]{7, 255, 257, 600}) {
            for (int outW : new int[]{1, 31, PanelGemm.ROWS, PanelGemm.ROWS + 1, 70}) {
                Tensor w = random(dt, outW, inW, rnd);
                float[] bias = gaussian(outW, rnd);
                for (int tokens : new int[]{g, g + 5, 47}) {
                    float[] x = gaussian(tokens * inW, rnd);
                    float[] out = gaussian(tokens * outW, rnd);
                    float[] before = out.clone();
                    float[] packed = new float[x.length];
                    MatMul.packing(dt, tokens).pack(x, tokens, inW, packed);
                    MatMul.linear(packed, tokens, inW, new MatMul.Target(w, bias, out, outW, true));
                    for (int t = 0; t < tokens; t++) {
                        for (int o = 0; o < outW; o++) {
                            double[] ref = reference(w, o, x, t * inW, inW);
                            assertClose(before[t * outW + o] + ref[0] + bias[o], ref[1] + Math.abs(bias[o]) + Math.abs(before[t * outW + o]),
                                    out[t * outW + o], dt + " in=" + inW + " out=" + outW + " tokens=" + tokens + " [" + t + "," + o + "]");
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F16", "BF16"})
    void gemmGivesATokenTheSameBitsInAnyBatch(DType dt) {
        Random rnd = new Random(5 + dt.ordinal());
        int inW = 300, outW = 45, tokens = 41, fewer = MatMul.GEMM_MIN_TOKENS + 1;
        Tensor w = random(dt, outW, inW, rnd);
        float[] x = gaussian(tokens * inW, rnd);
        float[] all = new float[tokens * outW], first = new float[fewer * outW];
        CpuKernels.linear(x, all, tokens, inW, outW, w, null);
        CpuKernels.linear(java.util.Arrays.copyOf(x, fewer * inW), first, fewer, inW, outW, w, null);
        for (int i = 0; i < first.length; i++) assertEquals(Float.floatToIntBits(all[i]), Float.floatToIntBits(first[i]), "element " + i);
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F16", "BF16"})
    void panelsAreKMajorFloatsOfTheWeights(DType dt) {
        Random rnd = new Random(9 + dt.ordinal());
        int inW = 2 * WeightPanels.CHUNK + 44;
        Tensor w = random(dt, 40, inW, rnd);
        for (int k0 = 0; k0 < inW; k0 += WeightPanels.CHUNK) {
            int kLen = Math.min(WeightPanels.CHUNK, inW - k0);
            for (int[] block : new int[][]{{0, 32}, {3, 5}, {4, 20}, {39, 1}}) {
                float[] panel = new float[block[1] * kLen];
                WeightPanels.unpack(w, block[0], block[1], k0, kLen, panel);
                for (int k = 0; k < kLen; k++) {
                    for (int r = 0; r < block[1]; r++) {
                        assertEquals(w.get((long) (block[0] + r) * inW + k0 + k), panel[k * block[1] + r], dt + " o=" + (block[0] + r) + " k=" + (k0 + k));
                    }
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> WeightPanels.unpack(w, 0, 4, 100, 8, new float[32]));
        assertThrows(IllegalArgumentException.class, () -> WeightPanels.unpack(w, 0, 4, 0, WeightPanels.CHUNK + 1, new float[4 * 257]));
    }

    static int[] fusedTokenCounts() {
        return new int[]{6, MatMul.GEMM_MIN_TOKENS + 3};
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F16", "BF16"})
    void groupedProjectionsAccumulateAndGateUpMatchSeparateOps(DType dt) {
        for (int tokens : fusedTokenCounts()) groupedProjectionsAccumulateAndGateUpMatchSeparateOps(dt, tokens);
    }

    private void groupedProjectionsAccumulateAndGateUpMatchSeparateOps(DType dt, int tokens) {
        Random rnd = new Random(11 + dt.ordinal());
        int inW = 67;
        Tensor a = random(dt, 13, inW, rnd), b = random(dt, 5, inW, rnd);
        float[] x = gaussian(tokens * inW, rnd);
        float[] packed = new float[x.length];
        MatMul.packing(dt, tokens).pack(x, tokens, inW, packed);

        float[] outA = new float[tokens * 13];
        float[] outB = gaussian(tokens * 5, rnd);
        float[] before = outB.clone();
        MatMul.linear(packed, tokens, inW, new MatMul.Target(a, null, outA, 13, false), new MatMul.Target(b, null, outB, 5, true));
        float[] soloA = new float[tokens * 13], soloB = new float[tokens * 5];
        CpuKernels.linear(x, soloA, tokens, inW, 13, a, null);
        CpuKernels.linear(x, soloB, tokens, inW, 5, b, null);
        for (int i = 0; i < soloA.length; i++) assertEquals(soloA[i], outA[i], "grouped " + i);
        for (int i = 0; i < soloB.length; i++) assertEquals(before[i] + soloB[i], outB[i], "accumulated " + i);

        int gw = 13 + PanelGemm.ROWS; // a full panel and a tail
        Tensor g = random(dt, gw, inW, rnd), u = random(dt, gw, inW, rnd);
        float[] gBias = gaussian(gw, rnd), uBias = gaussian(gw, rnd);
        float[] gate = new float[tokens * gw], up = new float[tokens * gw];
        MatMul.gateUp(packed, tokens, inW, new MatMul.Target(g, gBias, gate, gw, false), new MatMul.Target(u, uBias, up, gw, false));
        for (int t = 0; t < tokens; t++) {
            for (int o = 0; o < gw; o++) {
                double[] gr = reference(g, o, x, t * inW, inW), ur = reference(u, o, x, t * inW, inW);
                double gv = gr[0] + gBias[o], uv = ur[0] + uBias[o];
                double sig = 1 / (1 + Math.exp(-gv));
                double expected = gv * sig * uv;
                // the projections' float32 error (1e-6 of their sums of |terms|, as above) carried through silu(g) * u
                double dSilu = sig * (1 + gv * (1 - sig));
                double tol = 1e-6 * (Math.abs(dSilu * uv) * (gr[1] + Math.abs(gBias[o])) + Math.abs(gv * sig) * (ur[1] + Math.abs(uBias[o])))
                        + 1e-6 * Math.abs(expected);
                assertEquals(expected, gate[t * gw + o], tol, dt + " tokens=" + tokens + " swiglu [" + t + "," + o + "]");
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
