package dev.srr.compute;

import dev.srr.tensor.Tensor;

import java.lang.foreign.MemorySegment;

/**
 * Float panels of weight blocks for the many-token GEMM ({@link PanelGemm}): a block of output rows by a chunk of
 * input columns, widened to float32 and transposed to k-major, so a micro-kernel can load the weights of several
 * output rows for one input column as a vector. The one place that knows each stored dtype's layout; another dtype
 * family plugs in as one more case of {@link #unpack}.
 */
public final class WeightPanels {
    /** Input columns per panel chunk; chunks start at multiples of it (block-quantized formats align to it). */
    public static final int CHUNK = 256;

    /** One weight row chunk as stored, reused per thread so unpacking allocates nothing. */
    private static final ThreadLocal<float[]> ROW = ThreadLocal.withInitial(() -> new float[CHUNK]);
    private static final ThreadLocal<short[]> HALVES = ThreadLocal.withInitial(() -> new short[CHUNK]);

    private WeightPanels() {
    }

    /**
     * Writes the float32 values of weight rows [o0, o0 + rows) at columns [k0, k0 + kLen) of {@code w} (shape
     * [out, in], row-major) into {@code panel}, k-major: {@code panel[(k - k0) * rows + (o - o0)] = w[o, k]}.
     *
     * @param k0   first column, a multiple of {@link #CHUNK}
     * @param kLen columns, at most {@link #CHUNK} (only the last chunk of a row is shorter)
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
            default -> throw new IllegalArgumentException("no weight panels for dtype " + w.dtype());
        }
    }

    private static void unpackF32(Tensor w, int o0, int rows, int k0, int kLen, float[] panel) {
        MemorySegment seg = w.data();
        long rowBytes = 4L * w.dim(1);
        float[] row = ROW.get();
        for (int r = 0; r < rows; r++) {
            // one bulk copy per row, then a transposing scatter that stays in L1
            MemorySegment.copy(seg, Tensor.F32_LE, (o0 + r) * rowBytes + 4L * k0, row, 0, kLen);
            for (int k = 0; k < kLen; k++) panel[k * rows + r] = row[k];
        }
    }

    private static void unpackHalves(Tensor w, int o0, int rows, int k0, int kLen, float[] panel, boolean bf16) {
        MemorySegment seg = w.data();
        long rowBytes = 2L * w.dim(1);
        short[] row = HALVES.get();
        for (int r = 0; r < rows; r++) {
            MemorySegment.copy(seg, Tensor.I16_LE, (o0 + r) * rowBytes + 2L * k0, row, 0, kLen);
            if (bf16) {
                for (int k = 0; k < kLen; k++) panel[k * rows + r] = Float.intBitsToFloat(row[k] << 16);
            } else {
                for (int k = 0; k < kLen; k++) panel[k * rows + r] = Float.float16ToFloat(row[k]);
            }
        }
    }
}
