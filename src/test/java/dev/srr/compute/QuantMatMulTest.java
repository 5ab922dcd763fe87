package dev.srr.compute;

import dev.srr.tensor.DType;
import dev.srr.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The block-quantized kernels (decode, small batches, prefill and the k-major unpack) against references built
 * from {@link dev.srr.tensor.Dequantizer}'s values (verified bit for bit against gguf-py in DequantizerTest): a
 * double-precision dot product, bounded relative to {@code sum |w x|}, and the F32 kernels over the dequantized
 * matrix, whose bits the quantized kernels reproduce.
 */
class QuantMatMulTest {
    /** Row widths per block size: one block, a few, SmolLM2's 576 and 1536, and K-quant super-block counts. */
    static int[] widths(DType dt) {
        return dt.blockSize == 32 ? new int[]{32, 96, 160, 576} : new int[]{256, 768};
    }

    static final int[] ROWS = {1, 2, 3, 5, 13, 35};
    static final int[] TOKENS = {1, 2, 3, 5, 8, 9, 21, MatMul.GEMM_MIN_TOKENS + 5};

    /**
     * Random blocks of {@code dt}: random payload bytes (every bit pattern of the quants and packed scales), and
     * f16 scales set to small finite values of both signs so sums stay in range.
     */
    static Tensor random(DType dt, int rows, int cols, Random rnd) {
        long bytes = rows * dt.rowBytes(cols);
        MemorySegment seg = Arena.ofAuto().allocate(bytes, 64);
        for (long i = 0; i < bytes; i++) seg.set(ValueLayout.JAVA_BYTE, i, (byte) rnd.nextInt());
        int[] halves = switch (dt) {
            case Q8_0, Q4_0 -> new int[]{0};
            case Q4_1, Q4_K -> new int[]{0, 2};
            case Q6_K -> new int[]{208};
            default -> throw new IllegalArgumentException(dt.name());
        };
        for (long b = 0; b < bytes / dt.blockBytes; b++) {
            for (int h : halves) {
                float v = (float) (rnd.nextGaussian() * 0.02);
                seg.set(Tensor.I16_LE, b * dt.blockBytes + h, Float.floatToFloat16(v));
            }
        }
        return new Tensor("w", dt, new long[]{rows, cols}, seg);
    }

    /** The same values as an F32 tensor (Tensor.toFloatArray decodes blocks with Dequantizer). */
    static Tensor dequantized(Tensor w) {
        float[] v = w.toFloatArray();
        MemorySegment seg = Arena.ofAuto().allocate(v.length * 4L, 64);
        MemorySegment.copy(v, 0, seg, Tensor.F32_LE, 0, v.length);
        return new Tensor("w.f32", DType.F32, w.shape(), seg);
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"Q8_0", "Q4_0", "Q4_1", "Q4_K", "Q6_K"})
    void everyPathMatchesADoubleReferenceAndTheF32KernelsBits(DType dt) {
        Random rnd = new Random(dt.ordinal() * 31L);
        for (int in : widths(dt)) {
            for (int out : ROWS) {
                Tensor w = random(dt, out, in, rnd);
                Tensor f = dequantized(w);
                float[] wf = f.toFloatArray();
                float[] bias = MatMulTest.gaussian(out, rnd);
                for (int tokens : TOKENS) {
                    float[] x = MatMulTest.gaussian(tokens * in, rnd);
                    float[] y = new float[tokens * out];
                    float[] yf = new float[tokens * out];
                    CpuKernels.linear(x, y, tokens, in, out, w, bias);
                    CpuKernels.linear(x, yf, tokens, in, out, f, bias);
                    String where = dt + " [" + out + ", " + in + "] tokens=" + tokens;
                    for (int t = 0; t < tokens; t++) {
                        for (int o = 0; o < out; o++) {
                            double s = bias[o], scale = Math.abs(bias[o]);
                            for (int i = 0; i < in; i++) {
                                double term = (double) wf[o * in + i] * x[t * in + i];
                                s += term;
                                scale += Math.abs(term);
                            }
                            float got = y[t * out + o];
                            // float32 sums of <= 1536 terms in 16 lanes: far inside 1e-5 of sum |w x|
                            assertTrue(Math.abs(got - s) <= 1e-5 * scale, where + " [" + t + "," + o + "]: " + got + " vs " + s);
                        }
                    }
                    if (tokens <= QuantMatMul.SMALL_STEP || tokens >= MatMul.GEMM_MIN_TOKENS) {
                        // decode and small batches: each (row, token) summed in the F32 kernels' order; prompts: the
                        // GEMM on panels unpacked to the same floats
                        for (int i = 0; i < y.length; i++) {
                            assertEquals(Float.floatToRawIntBits(yf[i]), Float.floatToRawIntBits(y[i]), where + " element " + i);
                        }
                    }
                }
            }
        }
    }

    @Test
    void gateUpMixingBlockTypesMatchesSeparateProjections() {
        Random rnd = new Random(7);
        int in = 512, out = 37, tokens = 3;
        Tensor gate = random(DType.Q4_K, out, in, rnd);
        Tensor up = random(DType.Q6_K, out, in, rnd);
        float[] x = MatMulTest.gaussian(tokens * in, rnd);
        float[] g = new float[tokens * out], u = new float[tokens * out];
        MatMul.gateUp(x, tokens, in, new MatMul.Target(gate, null, g, out, false), new MatMul.Target(up, null, u, out, false));
        float[] g2 = new float[tokens * out], u2 = new float[tokens * out];
        CpuKernels.linear(x, g2, tokens, in, out, gate, null);
        CpuKernels.linear(x, u2, tokens, in, out, up, null);
        CpuKernels.swiGlu(g2, u2, g2.length);
        for (int i = 0; i < g.length; i++) assertEquals(g2[i], g[i], 0f, "element " + i);
    }

    @Test
    void accumulateAddsIntoTheOutput() {
        Random rnd = new Random(3);
        Tensor w = random(DType.Q8_0, 6, 64, rnd);
        float[] x = MatMulTest.gaussian(64, rnd);
        float[] plain = new float[6];
        MatMul.linear(x, 1, 64, new MatMul.Target(w, null, plain, 6, false));
        float[] acc = {1, 2, 3, 4, 5, 6};
        MatMul.linear(x, 1, 64, new MatMul.Target(w, null, acc, 6, true));
        for (int o = 0; o < 6; o++) assertEquals(o + 1 + plain[o], acc[o], 0f);
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"Q8_0", "Q4_0", "Q4_1", "Q4_K", "Q6_K"})
    void unpackWritesDequantizedValuesKMajor(DType dt) {
        Random rnd = new Random(11);
        int rows = 9;
        int in = dt.blockSize == 256 ? 768 : 576; // 576: chunks of 256, 256 and a 64-value tail
        Tensor w = random(dt, rows, in, rnd);
        float[] all = w.toFloatArray();
        for (int o0 : new int[]{0, 2}) {
            for (int n : new int[]{1, 4, rows - o0}) {
                for (int k0 = 0; k0 < in; k0 += 256) {
                    int kLen = Math.min(256, in - k0);
                    float[] panel = new float[kLen * n + 3];
                    panel[kLen * n] = 42f;
                    QuantMatMul.unpack(w, o0, n, k0, kLen, panel);
                    for (int k = 0; k < kLen; k++) {
                        for (int r = 0; r < n; r++) {
                            assertEquals(all[(o0 + r) * in + k0 + k], panel[k * n + r], 0f, dt + " row " + (o0 + r) + " col " + (k0 + k));
                        }
                    }
                    assertEquals(42f, panel[kLen * n], "nothing written past the panel");
                }
            }
        }
        // a shorter chunk that is still whole blocks
        if (dt.blockSize == 32) {
            float[] panel = new float[32 * 2];
            QuantMatMul.unpack(w, 1, 2, 256, 32, panel);
            for (int k = 0; k < 32; k++) assertEquals(all[2 * in + 256 + k], panel[k * 2 + 1], 0f);
        }
    }

    @Test
    void unpackRefusesRangesThatAreNotBlockAligned() {
        Tensor w = random(DType.Q4_K, 4, 512, new Random(1));
        assertThrows(IllegalArgumentException.class, () -> QuantMatMul.unpack(w, 0, 4, 128, 128, new float[512]));
        assertThrows(IllegalArgumentException.class, () -> QuantMatMul.unpack(w, 0, 4, 0, 96, new float[512]));
        assertThrows(IllegalArgumentException.class, () -> QuantMatMul.unpack(w, 2, 4, 0, 256, new float[1024]));
    }

    @Test
    void runsGiveTheSameBits() {
        Random rnd = new Random(5);
        Tensor w = random(DType.Q4_1, 64, 576, rnd);
        for (int tokens : new int[]{1, 8, 40}) {
            float[] x = MatMulTest.gaussian(tokens * 576, rnd);
            float[] a = new float[tokens * 64], b = new float[tokens * 64];
            CpuKernels.linear(x, a, tokens, 576, 64, w, null);
            CpuKernels.linear(x, b, tokens, 576, 64, w, null);
            assertTrue(java.util.Arrays.equals(a, b), "tokens=" + tokens);
        }
    }
}
