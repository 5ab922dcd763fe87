package dev.srr.compute;

import dev.srr.tensor.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;

/** The CPU backend's element-wise and row loops. Everything accumulates in float32 from weights in their stored dtype. */
public final class CpuKernels {
    static final VectorSpecies<Float> F = Vec.F;

    private CpuKernels() {
    }

    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        int bound = F.loopBound(n);
        for (; i < bound; i += F.length()) {
            acc = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), acc);
        }
        float s = Lanes.sum(acc);
        for (; i < n; i++) s += a[aOff + i] * b[bOff + i];
        return s;
    }

    /** {@code acc[accOff + i] += w * x[xOff + i]} for i < n. */
    public static void axpy(float w, float[] x, int xOff, float[] acc, int accOff, int n) {
        int i = 0;
        int bound = F.loopBound(n);
        FloatVector wv = FloatVector.broadcast(F, w);
        for (; i < bound; i += F.length()) {
            wv.fma(FloatVector.fromArray(F, x, xOff + i), FloatVector.fromArray(F, acc, accOff + i)).intoArray(acc, accOff + i);
        }
        for (; i < n; i++) acc[accOff + i] += w * x[xOff + i];
    }

    /** Widens {@code n} elements of {@code w} starting at element {@code from} into {@code out} (block types decoded). */
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
            default -> w.copyTo(from, out, 0, n);
        }
    }

    /**
     * {@code out[r, o] = sum_i in[r, i] * w[o, i] + bias[o]} for {@code rows} rows; w is [outW, inW]. A
     * convenience over {@link MatMul} that packs the input itself (the backend packs once per shared input).
     */
    public static void linear(float[] in, float[] out, int rows, int inW, int outW, Tensor w, float[] bias) {
        if (w.dim(0) != outW || w.dim(1) != inW) throw new IllegalArgumentException("weight " + w.shapeString() + " is not [" + outW + ", " + inW + "]");
        float[] packed = new float[rows * inW];
        MatMul.packing(w.dtype(), rows).pack(in, rows, inW, packed);
        MatMul.linear(packed, rows, inW, new MatMul.Target(w, bias, out, outW, false));
    }

    /** RMSNorm of {@code rows} rows of width {@code w}, as transformers computes it in float32. */
    public static void rmsNorm(float[] in, float[] out, int rows, int w, float[] weight, float eps) {
        for (int r = 0; r < rows; r++) rmsNormRow(in, r * w, out, r * w, w, weight, eps);
    }

    static void rmsNormRow(float[] in, int inOff, float[] out, int outOff, int w, float[] weight, float eps) {
        float ss = dot(in, inOff, in, inOff, w);
        float scale = (float) (1.0 / Math.sqrt(ss / w + eps));
        int i = 0;
        int bound = F.loopBound(w);
        for (; i < bound; i += F.length()) {
            FloatVector x = FloatVector.fromArray(F, in, inOff + i).mul(scale);
            FloatVector.fromArray(F, weight, i).mul(x).intoArray(out, outOff + i);
        }
        for (; i < w; i++) out[outOff + i] = weight[i] * (in[inOff + i] * scale);
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
        int bound = F.loopBound(half);
        for (int r = 0; r < rows; r++) {
            float[] cos = table.cos(positions[r]);
            float[] sin = table.sin(positions[r]);
            for (int h = 0; h < heads; h++) {
                int off = (r * heads + h) * headDim;
                int j = 0;
                for (; j < bound; j += F.length()) {
                    FloatVector a = FloatVector.fromArray(F, buf, off + j);
                    FloatVector b = FloatVector.fromArray(F, buf, off + j + half);
                    FloatVector c = FloatVector.fromArray(F, cos, j);
                    FloatVector s = FloatVector.fromArray(F, sin, j);
                    a.mul(c).sub(b.mul(s)).intoArray(buf, off + j);
                    b.mul(c).add(a.mul(s)).intoArray(buf, off + j + half);
                }
                for (; j < half; j++) {
                    float a = buf[off + j];
                    float b = buf[off + j + half];
                    buf[off + j] = a * cos[j] - b * sin[j];
                    buf[off + j + half] = b * cos[j] + a * sin[j];
                }
            }
        }
    }

    public static void swiGlu(float[] gate, float[] up, int n) {
        swiGlu(gate, 0, up, 0, n);
    }

    /** {@code gate = silu(gate) * up} over n elements, in place. */
    public static void swiGlu(float[] gate, int gOff, float[] up, int uOff, int n) {
        int i = 0;
        int bound = F.loopBound(n);
        for (; i < bound; i += F.length()) {
            FloatVector g = FloatVector.fromArray(F, gate, gOff + i);
            FloatVector silu = g.div(Exp.exp(g.neg()).add(1f));
            silu.mul(FloatVector.fromArray(F, up, uOff + i)).intoArray(gate, gOff + i);
        }
        for (; i < n; i++) {
            float g = gate[gOff + i];
            gate[gOff + i] = g / (1f + Exp.exp(-g)) * up[uOff + i];
        }
    }

    public static void add(float[] acc, float[] in, int n) {
        int i = 0;
        int bound = F.loopBound(n);
        for (; i < bound; i += F.length()) {
            FloatVector.fromArray(F, acc, i).add(FloatVector.fromArray(F, in, i)).intoArray(acc, i);
        }
        for (; i < n; i++) acc[i] += in[i];
    }
}
