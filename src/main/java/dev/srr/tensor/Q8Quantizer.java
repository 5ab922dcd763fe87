package dev.srr.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Quantizes float32 values to ggml's Q8_0 blocks exactly as ggml's reference quantizer and {@code gguf.quants}
 * ({@code Q8_0.quantize_blocks}) do, bit for bit: per block of 32, {@code d = max|x| / 127} and
 * {@code id = 1 / d} (0 when d is 0) in float32, {@code q = round(x * id)} with halves rounded away from zero,
 * and d stored as IEEE half (round to nearest even). Block layout: f16 d, then the 32 signed bytes.
 */
public final class Q8Quantizer {
    private Q8Quantizer() {
    }

    /**
     * Quantizes {@code x[off, off + n)} into {@code n / 32} blocks at byte {@code at} of {@code dst}.
     *
     * @param n a multiple of 32
     * @throws IllegalArgumentException when it is not
     */
    public static void quantize(float[] x, int off, int n, MemorySegment dst, long at) {
        if (n % 32 != 0) throw new IllegalArgumentException(n + " values are not whole Q8_0 blocks of 32");
        for (int b = 0; b < n / 32; b++, off += 32, at += 34) {
            float amax = 0;
            for (int i = 0; i < 32; i++) amax = Math.max(amax, Math.abs(x[off + i]));
            float d = amax / 127f;
            float id = d == 0 ? 0f : 1f / d;
            dst.set(Tensor.I16_LE, at, Float.floatToFloat16(d));
            for (int i = 0; i < 32; i++) dst.set(ValueLayout.JAVA_BYTE, at + 2 + i, (byte) roundHalfAway(x[off + i] * id));
        }
    }

    /** Round to nearest, halves away from zero, in float32: floor(|v|) + floor(2 (|v| - floor|v|)), signed. */
    static int roundHalfAway(float v) {
        float a = Math.abs(v);
        float floored = (float) Math.floor(a);
        float b = floored + (float) Math.floor(2f * (a - floored));
        return (int) (v < 0 ? -b : b);
    }
}
