package dev.srr.compute;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The vectorised element-wise kernels against double-precision references on awkward widths. */
class CpuKernelsTest {
    static final int[] WIDTHS = {1, 7, 17, 33, 100};

    @Test
    void rmsNormSwiGluAxpyAddMatchReference() {
        Random rnd = new Random(3);
        for (int w : WIDTHS) {
            float[] in = MatMulTest.gaussian(3 * w, rnd), weight = MatMulTest.gaussian(w, rnd), out = new float[3 * w];
            CpuKernels.rmsNorm(in, out, 3, w, weight, 1e-6f);
            for (int r = 0; r < 3; r++) {
                double ss = 0;
                for (int i = 0; i < w; i++) ss += (double) in[r * w + i] * in[r * w + i];
                double scale = 1 / Math.sqrt(ss / w + 1e-6);
                for (int i = 0; i < w; i++) assertEquals(weight[i] * in[r * w + i] * scale, out[r * w + i], 1e-5 * (1 + Math.abs(out[r * w + i])), "rmsNorm " + w);
            }
            float[] gate = MatMulTest.gaussian(w, rnd), up = MatMulTest.gaussian(w, rnd), g0 = gate.clone();
            CpuKernels.swiGlu(gate, up, w);
            for (int i = 0; i < w; i++) {
                double e = g0[i] / (1 + Math.exp(-g0[i])) * up[i];
                assertEquals(e, gate[i], 1e-6 * (1 + Math.abs(e)), "swiGlu " + w);
            }
            float[] acc = MatMulTest.gaussian(w + 2, rnd), x = MatMulTest.gaussian(w + 1, rnd), a0 = acc.clone();
            CpuKernels.axpy(0.37f, x, 1, acc, 2, w);
            for (int i = 0; i < w; i++) assertEquals(a0[2 + i] + 0.37 * x[1 + i], acc[2 + i], 1e-6, "axpy " + w);
            assertEquals(a0[0], acc[0]);
            float[] sum = a0.clone();
            CpuKernels.add(sum, x, w);
            for (int i = 0; i < w; i++) assertEquals(a0[i] + x[i], sum[i], 1e-6, "add " + w);
        }
    }

    @Test
    void ropeMatchesRotateHalfReference() {
        Random rnd = new Random(5);
        for (int headDim : new int[]{2, 6, 34, 64, 80}) {
            float[] inv = new float[headDim / 2];
            for (int j = 0; j < inv.length; j++) inv[j] = (float) Math.pow(10000, -2.0 * j / headDim);
            RopeTable table = new RopeTable(inv);
            int heads = 3, rows = 2;
            int[] positions = {5, 1234};
            float[] buf = MatMulTest.gaussian(rows * heads * headDim, rnd), orig = buf.clone();
            CpuKernels.rope(buf, rows, heads, headDim, positions, table);
            int half = headDim / 2;
            for (int r = 0; r < rows; r++) {
                for (int h = 0; h < heads; h++) {
                    int off = (r * heads + h) * headDim;
                    for (int j = 0; j < half; j++) {
                        double ang = positions[r] * (double) inv[j];
                        double a = orig[off + j], b = orig[off + j + half];
                        assertEquals(a * Math.cos(ang) - b * Math.sin(ang), buf[off + j], 1e-3 * (Math.abs(a) + Math.abs(b)), "rope " + headDim);
                        assertEquals(b * Math.cos(ang) + a * Math.sin(ang), buf[off + j + half], 1e-3 * (Math.abs(a) + Math.abs(b)), "rope " + headDim);
                    }
                }
            }
        }
    }
}
