package dev.srr.compute;

import dev.srr.tensor.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;

/**
 * Float panels of weight blocks for the many-token GEMM ({@link PanelGemm}): a block of output rows by a chunk of
 * input columns, widened to float32 and transposed to k-major, so a micro-kernel can load the weights of several
 * output rows for one input column as a vector. The one place that knows each stored dtype's layout; another dtype
 * family plugs in as one more case of {@link #unpack}.
 *
 * <p>Whole vectors of rows are widened with vector loads and transposed L x L at a time ({@link BlockTranspose});
 * leftover rows and columns go element by element.
 */
public final class WeightPanels {
    /** Input columns per panel chunk; chunks start at multiples of it (block-quantized formats align to it). */
    public static final int CHUNK = 256;

    private static final VectorSpecies<Float> F = Vec.F;
    private static final VectorSpecies<Integer> I = Vec.I;
    private static final int L = Vec.L;

    private static final ThreadLocal<BlockTranspose> TRANSPOSE = ThreadLocal.withInitial(BlockTranspose::new);

    private WeightPanels() {
    }

    /**
     * Writes the float32 values of weight rows [o0, o0 + rows) at columns [k0, k0 + kLen) of {@code w} (shape
     * [out, in], row-major) into {@code panel}, k-major: {@code panel[(k - k0) * rows + (o - o0)] = w[o, k]}.
     *
     * @param k0    first column, a multiple of {@link #CHUNK}
     * @param kLen  columns, at most {@link #CHUNK} (only the last chunk of a row is shorter)
     * @param panel at least {@code rows * kLen} floats; the rest is left as is
     * @throws IllegalArgumentException for a misaligned chunk or a dtype without a panel layout
     */
    public static void unpack(Tensor w, int o0, int rows, int k0, int kLen, float[] panel) {
        if (k0 % CHUNK != 0 || kLen > CHUNK || kLen < 0) {
            throw new IllegalArgumentException("chunk [" + k0 + ", +" + kLen + ") is not within one " + CHUNK + "-column chunk");
        }
        switch (w.dtype()) {
            case F32 -> unpackF32(w, o0, rows, k0, kLen, panel);
            case BF16 -> unpackHalves(w, o0, rows, k0, kLen, panel, true);
            case F16 -> unpackHalves(w, o0, rows, k0, kLen, panel, false);
            case Q8_0, Q4_0, Q4_1, Q4_K, Q6_K -> QuantMatMul.unpack(w, o0, rows, k0, kLen, panel);
        }
    }

    private static void unpackF32(Tensor w, int o0, int rows, int k0, int kLen, float[] panel) {
        MemorySegment seg = w.data();
        long rowBytes = 4L * w.dim(1);
        BlockTranspose t = TRANSPOSE.get();
        int vecRows = rows - rows % L;
        int vecCols = kLen - kLen % L;
        for (int r = 0; r < vecRows; r += L) {
            for (int k = 0; k < vecCols; k += L) {
                long at = (o0 + r) * rowBytes + 4L * (k0 + k);
                for (int i = 0; i < L; i++) t.row(i, FloatVector.fromMemorySegment(F, seg, at + i * rowBytes, Vec.LE));
                t.transposeInto(panel, k * rows + r, rows);
            }
        }
        for (int r = 0; r < rows; r++) {
            long at = (o0 + r) * rowBytes + 4L * k0;
            for (int k = r < vecRows ? vecCols : 0; k < kLen; k++) panel[k * rows + r] = seg.get(Tensor.F32_LE, at + 4L * k);
        }
    }

    /** BF16 and F16: one int load holds two halves, the even column in the low bits, widened as the dot kernels do. */
    private static void unpackHalves(Tensor w, int o0, int rows, int k0, int kLen, float[] panel, boolean bf16) {
        MemorySegment seg = w.data();
        long rowBytes = 2L * w.dim(1);
        BlockTranspose t = TRANSPOSE.get();
        int vecRows = rows - rows % L;
        int vecCols = kLen - kLen % (2 * L);
        for (int r = 0; r < vecRows; r += L) {
            for (int k = 0; k < vecCols; k += 2 * L) {
                long at = (o0 + r) * rowBytes + 2L * (k0 + k);
                for (int parity = 0; parity < 2; parity++) {
                    for (int i = 0; i < L; i++) {
                        IntVector pair = IntVector.fromMemorySegment(I, seg, at + i * rowBytes, Vec.LE);
                        FloatVector half = bf16 ? (parity == 0 ? Bf16Kernels.even(pair) : Bf16Kernels.odd(pair))
                                : (parity == 0 ? F16Kernels.even(pair) : F16Kernels.odd(pair));
                        t.row(i, half);
                    }
                    // lane j of these rows is column k + 2j + parity
                    t.transposeInto(panel, (k + parity) * rows + r, 2 * rows);
                }
            }
        }
        for (int r = 0; r < rows; r++) {
            long at = (o0 + r) * rowBytes + 2L * k0;
            for (int k = r < vecRows ? vecCols : 0; k < kLen; k++) {
                short h = seg.get(Tensor.I16_LE, at + 2L * k);
                panel[k * rows + r] = bf16 ? Float.intBitsToFloat(h << 16) : Float.float16ToFloat(h);
            }
        }
    }

    /**
     * An L x L transpose in log2(L) rounds of zipping row i with row i + L/2 (two-source permutes): after the
     * rounds, row j holds what was column j. Rows are staged in a small array that stays in L1.
     */
    private static final class BlockTranspose {
        private static final VectorShuffle<Float> ZIP_LO = zipIndex(0);
        private static final VectorShuffle<Float> ZIP_HI = zipIndex(L / 2);
        private float[] src = new float[L * L];
        private float[] dst = new float[L * L];

        /**
         * Lanes alternate a[m], b[m] for m from {@code from}: lane m of the first source, and lane m of the second
         * as the exceptional (negative) index m - L that {@code rearrange(shuffle, second)} reads from it.
         */
        private static VectorShuffle<Float> zipIndex(int from) {
            int[] index = new int[L];
            for (int m = 0; m < L / 2; m++) {
                index[2 * m] = from + m;
                index[2 * m + 1] = from + m - L;
            }
            return VectorShuffle.fromArray(F, index, 0);
        }

        void row(int i, FloatVector v) {
            v.intoArray(src, i * L);
        }

        /** Stores column j of the staged rows at {@code out[at + j * stride]} (L floats each). */
        void transposeInto(float[] out, int at, int stride) {
            int half = L / 2;
            for (int round = L; round > 2; round >>= 1) {
                for (int i = 0; i < half; i++) zip(i, dst, 2 * i * L, dst, (2 * i + 1) * L);
                float[] swap = src;
                src = dst;
                dst = swap;
            }
            for (int i = 0; i < half; i++) zip(i, out, at + 2 * i * stride, out, at + (2 * i + 1) * stride);
        }

        private void zip(int i, float[] lo, int loAt, float[] hi, int hiAt) {
            FloatVector a = FloatVector.fromArray(F, src, i * L);
            FloatVector b = FloatVector.fromArray(F, src, (i + L / 2) * L);
            a.rearrange(ZIP_LO, b).intoArray(lo, loAt);
            a.rearrange(ZIP_HI, b).intoArray(hi, hiAt);
        }
    }
}
