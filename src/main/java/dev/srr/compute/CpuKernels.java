package dev.srr.compute;

import dev.srr.tensor.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;

/** The CPU backend's hot loops. Everything accumulates in float32 from weights in their stored dtype. */
public final class CpuKernels {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private CpuKernels() {
    }

    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        int bound = F.loopBound(n);
        for (; i < bound; i += F.length()) {
            acc = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) s += a[aOff + i] * b[bOff + i];
        return s;
    }

    /** Widens {@code n} elements of {@code w} starting at element {@code from} into {@code out}. */
    public static void widen(Tensor w, long from, float[] out, int n) {
        MemorySegment seg = w.data();
        switch (w.dtype()) {
            case F32 -> MemorySegment.copy(seg, Tensor.F32_LE, from * 4, out, 0, n);
            case BF16 -> {
                for (int i = 0; i < n; i++) out[i] = Float.intBitsToFloat(seg.get(Tensor.I16_LE, (from + i) * 2) << 16);
            }
            case F16 -> {
                for (int i = 0; i < n; i++) out[i] = Float.float16ToFloat(seg.get(Tensor.I16_LE, (from + i) * 2));
            }
        }
    }

    /** {@code out[r, o] = sum_i in[r, i] * w[o, i] + bias[o]} for {@code rows} rows; w is [outW, inW]. */
    public static void linear(float[] in, float[] out, int rows, int inW, int outW, Tensor w, float[] bias) {
        Parallel.forRange(outW, 16, (from, to) -> {
            float[] row = new float[inW];
            for (int o = from; o < to; o++) {
                widen(w, (long) o * inW, row, inW);
                float b = bias == null ? 0f : bias[o];
                for (int r = 0; r < rows; r++) out[r * outW + o] = dot(row, 0, in, r * inW, inW) + b;
            }
        });
    }

    /** RMSNorm of {@code rows} rows of width {@code w}, as transformers computes it in float32. */
    public static void rmsNorm(float[] in, float[] out, int rows, int w, float[] weight, float eps) {
        for (int r = 0; r < rows; r++) rmsNormRow(in, r * w, out, r * w, w, weight, eps);
    }

    static void rmsNormRow(float[] in, int inOff, float[] out, int outOff, int w, float[] weight, float eps) {
        float ss = dot(in, inOff, in, inOff, w);
        float scale = (float) (1.0 / Math.sqrt(ss / w + eps));
        for (int i = 0; i < w; i++) out[outOff + i] = weight[i] * (in[inOff + i] * scale);
    }

    /** RMSNorm over each {@code headDim} slice of every row, in place. */
    public static void headNorm(float[] buf, int rows, int heads, int headDim, float[] weight, float eps) {
        for (int r = 0; r < rows; r++) {
            for (int h = 0; h < heads; h++) {
                int off = (r * heads + h) * headDim;
                rmsNormRow(buf, off, buf, off, headDim, weight, eps);
            }
        }
    }

    /** Rotates each head's halves (transformers' rotate_half convention) by the row's position angles. */
    public static void rope(float[] buf, int rows, int heads, int headDim, int[] positions, RopeTable table) {
        int half = headDim / 2;
        for (int r = 0; r < rows; r++) {
            float[] cos = table.cos(positions[r]);
            float[] sin = table.sin(positions[r]);
            for (int h = 0; h < heads; h++) {
                int off = (r * heads + h) * headDim;
                for (int j = 0; j < half; j++) {
                    float a = buf[off + j];
                    float b = buf[off + j + half];
                    buf[off + j] = a * cos[j] - b * sin[j];
                    buf[off + j + half] = b * cos[j] + a * sin[j];
                }
            }
        }
    }

    public static void swiGlu(float[] gate, float[] up, int n) {
        for (int i = 0; i < n; i++) {
            float g = gate[i];
            gate[i] = g / (1f + (float) Math.exp(-g)) * up[i];
        }
    }

    public static void add(float[] acc, float[] in, int n) {
        for (int i = 0; i < n; i++) acc[i] += in[i];
    }
}
