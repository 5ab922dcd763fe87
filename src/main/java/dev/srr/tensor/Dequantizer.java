package dev.srr.tensor;

/**
 * Expands ggml's block-quantized rows to float32, bit for bit as the {@code gguf} Python package's
 * {@code gguf.quants.dequantize} does: the same block layouts (ggml's {@code ggml-common.h} structs) and the same
 * float32 operations in the same order ({@code d * q + m} is a rounded product, then a rounded sum; no fused
 * multiply-add), so the values are identical, not merely close.
 *
 * <p>Scales stored as IEEE half are widened exactly. Within a K-quant super-block of 256 values the sub-block
 * scales are formed first ({@code d * scale}, rounded to float32) and then applied, as the reference does.
 */
public final class Dequantizer {
    private static final int QK_K = 256;

    private Dequantizer() {
    }

    /**
     * Dequantizes {@code count} values stored as {@code type} in {@code src[srcOffset..]} into
     * {@code out[outOffset..outOffset + count)}.
     *
     * @param src       the raw blocks (little-endian), at least {@code count / blockSize * blockBytes} bytes from
     *                  {@code srcOffset}
     * @param count     a multiple of {@code type.blockSize}
     * @throws IllegalArgumentException for a type that is not block-quantized or not supported, or a count that
     *                                  is not a whole number of blocks (callers validate both against the file)
     */
    public static void dequantize(GgmlType type, byte[] src, int srcOffset, float[] out, int outOffset, int count) {
        if (count % type.blockSize != 0) throw new IllegalArgumentException(count + " values are not whole " + type + " blocks");
        int blocks = count / type.blockSize;
        for (int b = 0; b < blocks; b++) {
            int s = srcOffset + b * type.blockBytes;
            int o = outOffset + b * type.blockSize;
            switch (type) {
                case Q4_0 -> q4_0(src, s, out, o);
                case Q4_1 -> q4_1(src, s, out, o);
                case Q5_0 -> q5_0(src, s, out, o);
                case Q5_1 -> q5_1(src, s, out, o);
                case Q8_0 -> q8_0(src, s, out, o);
                case Q2_K -> q2_k(src, s, out, o);
                case Q3_K -> q3_k(src, s, out, o);
                case Q4_K -> q4_k(src, s, out, o);
                case Q5_K -> q5_k(src, s, out, o);
                case Q6_K -> q6_k(src, s, out, o);
                default -> throw new IllegalArgumentException(type + " is not a block type srr dequantizes");
            }
        }
    }

    /** Whether {@link #dequantize} handles {@code type}. */
    public static boolean handles(GgmlType type) {
        return switch (type) {
            case Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K -> true;
            default -> false;
        };
    }

    private static float half(byte[] b, int at) {
        return Float.float16ToFloat((short) ((b[at] & 0xFF) | (b[at + 1] << 8)));
    }

    private static int u8(byte[] b, int at) {
        return b[at] & 0xFF;
    }

    /** Q4_0: f16 d, 16 bytes of nibbles (low nibbles are values 0..15, high nibbles 16..31); y = d * (q - 8). */
    private static void q4_0(byte[] b, int s, float[] y, int o) {
        float d = half(b, s);
        for (int j = 0; j < 16; j++) {
            int q = u8(b, s + 2 + j);
            y[o + j] = d * (float) ((q & 0xF) - 8);
            y[o + j + 16] = d * (float) ((q >>> 4) - 8);
        }
    }

    /** Q4_1: f16 d, f16 m, 16 bytes of nibbles; y = d * q + m. */
    private static void q4_1(byte[] b, int s, float[] y, int o) {
        float d = half(b, s);
        float m = half(b, s + 2);
        for (int j = 0; j < 16; j++) {
            int q = u8(b, s + 4 + j);
            y[o + j] = d * (float) (q & 0xF) + m;
            y[o + j + 16] = d * (float) (q >>> 4) + m;
        }
    }

    private static int le32(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }

    /** Q5_0: f16 d, 32 high bits (bit j belongs to value j), 16 bytes of low nibbles; y = d * (q - 16). */
    private static void q5_0(byte[] b, int s, float[] y, int o) {
        float d = half(b, s);
        int qh = le32(b, s + 2);
        for (int j = 0; j < 16; j++) {
            int q = u8(b, s + 6 + j);
            int lo = (q & 0xF) | ((qh >>> j) & 1) << 4;
            int hi = (q >>> 4) | ((qh >>> (j + 16)) & 1) << 4;
            y[o + j] = d * (float) (lo - 16);
            y[o + j + 16] = d * (float) (hi - 16);
        }
    }

    /** Q5_1: f16 d, f16 m, 32 high bits, 16 bytes of low nibbles; y = d * q + m. */
    private static void q5_1(byte[] b, int s, float[] y, int o) {
        float d = half(b, s);
        float m = half(b, s + 2);
        int qh = le32(b, s + 4);
        for (int j = 0; j < 16; j++) {
            int q = u8(b, s + 8 + j);
            int lo = (q & 0xF) | ((qh >>> j) & 1) << 4;
            int hi = (q >>> 4) | ((qh >>> (j + 16)) & 1) << 4;
            y[o + j] = d * (float) lo + m;
            y[o + j + 16] = d * (float) hi + m;
        }
    }

    /** Q8_0: f16 d, 32 signed bytes; y = q * d. */
    private static void q8_0(byte[] b, int s, float[] y, int o) {
        float d = half(b, s);
        for (int j = 0; j < 32; j++) y[o + j] = (float) b[s + 2 + j] * d;
    }

    /**
     * Q2_K: 16 bytes of 4-bit scale (low) and min (high) pairs, 64 bytes of 2-bit values, f16 d, f16 dmin.
     * Value {@code i} of the 256 lies in byte {@code (i / 128) * 32 + i % 32} at bit {@code 2 * ((i / 32) % 4)};
     * its group of 16 is {@code i / 16}; y = (d * sc) * q - dmin * m.
     */
    private static void q2_k(byte[] b, int s, float[] y, int o) {
        float d = half(b, s + 80);
        float dmin = half(b, s + 82);
        for (int i = 0; i < QK_K; i++) {
            int sc = u8(b, s + i / 16);
            float dl = d * (float) (sc & 0xF);
            float ml = dmin * (float) (sc >>> 4);
            int q = (u8(b, s + 16 + (i / 128) * 32 + i % 32) >>> (2 * ((i / 32) % 4))) & 3;
            y[o + i] = dl * (float) q - ml;
        }
    }

    /**
     * Q3_K: 32 bytes of high-bit masks, 64 bytes of 2-bit values, 12 bytes of 6-bit signed scales, f16 d.
     * Value {@code i}: low bits as in Q2_K, high bit {@code (hmask[i % 32] >> (i / 32)) & 1}; a set high bit
     * means no offset, a clear one subtracts 4. Scale {@code g} (of 16): low nibble from byte {@code g % 8}
     * ({@code >> 4} when {@code g >= 8}), high two bits from byte {@code 8 + g % 4} at bit {@code 2 * (g / 4)}.
     */
    private static void q3_k(byte[] b, int s, float[] y, int o) {
        float d = half(b, s + 108);
        int scales = s + 96;
        for (int i = 0; i < QK_K; i++) {
            int g = i / 16;
            int low = (u8(b, scales + g % 8) >>> (g < 8 ? 0 : 4)) & 0xF;
            int high = (u8(b, scales + 8 + g % 4) >>> (2 * (g / 4))) & 3;
            float dl = d * (float) ((byte) (low | high << 4) - 32);
            int ql = (u8(b, s + 32 + (i / 128) * 32 + i % 32) >>> (2 * ((i / 32) % 4))) & 3;
            int qh = ((u8(b, s + i % 32) >>> (i / 32)) & 1) ^ 1;
            y[o + i] = dl * (float) (ql - (qh << 2));
        }
    }

    /** The 6-bit scale (or, with {@code min}, the 6-bit min) of sub-block {@code j} (of 8) of a Q4_K/Q5_K block. */
    private static int scaleMin(byte[] b, int scales, int j, boolean min) {
        if (j < 4) return u8(b, scales + j + (min ? 4 : 0)) & 0x3F;
        int packed = u8(b, scales + 8 + j - 4);
        int top = (u8(b, scales + j - 4 + (min ? 4 : 0)) >>> 2) & 0x30;
        return (min ? packed >>> 4 : packed & 0xF) | top;
    }

    /**
     * Q4_K: f16 d, f16 dmin, 12 bytes of packed 6-bit scales and mins, 128 bytes of nibbles. Value {@code i}
     * lies in byte {@code (i / 64) * 32 + i % 32}, high nibble when {@code (i / 32)} is odd; sub-block
     * {@code i / 32}; y = (d * sc) * q - dmin * m.
     */
    private static void q4_k(byte[] b, int s, float[] y, int o) {
        float d = half(b, s);
        float dmin = half(b, s + 2);
        for (int j = 0; j < 8; j++) {
            float dl = d * (float) scaleMin(b, s + 4, j, false);
            float ml = dmin * (float) scaleMin(b, s + 4, j, true);
            int base = s + 16 + (j / 2) * 32;
            int shift = (j % 2) * 4;
            for (int l = 0; l < 32; l++) {
                int q = (u8(b, base + l) >>> shift) & 0xF;
                y[o + j * 32 + l] = dl * (float) q - ml;
            }
        }
    }

    /** Q5_K: as Q4_K plus 32 bytes of high bits before the nibbles (value {@code i}: bit {@code i / 32} of byte {@code i % 32}). */
    private static void q5_k(byte[] b, int s, float[] y, int o) {
        float d = half(b, s);
        float dmin = half(b, s + 2);
        for (int j = 0; j < 8; j++) {
            float dl = d * (float) scaleMin(b, s + 4, j, false);
            float ml = dmin * (float) scaleMin(b, s + 4, j, true);
            int base = s + 48 + (j / 2) * 32;
            int shift = (j % 2) * 4;
            for (int l = 0; l < 32; l++) {
                int q = ((u8(b, base + l) >>> shift) & 0xF) | ((u8(b, s + 16 + l) >>> j) & 1) << 4;
                y[o + j * 32 + l] = dl * (float) q - ml;
            }
        }
    }

    /**
     * Q6_K: 128 bytes of low nibbles, 64 bytes of 2-bit high parts, 16 signed 8-bit scales, f16 d. Value
     * {@code i = h * 128 + r} (r < 128): low nibble from byte {@code h * 64 + r % 64} ({@code >> 4} when
     * {@code r >= 64}), high bits from byte {@code h * 32 + r % 32} at bit {@code 2 * (r / 32)}; group
     * {@code i / 16}; y = (d * sc) * (q - 32).
     */
    private static void q6_k(byte[] b, int s, float[] y, int o) {
        float d = half(b, s + 208);
        for (int i = 0; i < QK_K; i++) {
            int h = i / 128;
            int r = i % 128;
            float dl = d * (float) b[s + 192 + i / 16];
            int ql = (u8(b, s + h * 64 + r % 64) >>> (r < 64 ? 0 : 4)) & 0xF;
            int qh = (u8(b, s + 128 + h * 32 + r % 32) >>> (2 * (r / 32))) & 3;
            y[o + i] = dl * (float) ((ql | qh << 4) - 32);
        }
    }
}
