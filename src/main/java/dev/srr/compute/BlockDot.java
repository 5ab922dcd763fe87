package dev.srr.compute;

import dev.srr.tensor.DType;
import dev.srr.tensor.Tensor;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.srr.compute.Vec.LE;

/**
 * Two block-quantized weight rows times one float32 activation row, decoding each block in registers: the decode
 * kernel (matrix x vector). Each 16-value chunk is decoded exactly as {@link BlockDecode} does (the values of
 * {@link dev.srr.tensor.Dequantizer}) and multiply-added into its row's one accumulator in ascending value order,
 * then {@link Lanes#sum}: the operations of {@link F32Kernels} over the dequantized rows, so the same bits.
 *
 * <p>Why two rows: two independent multiply-add chains hide the latency and share each activation load, while a
 * kernel stays small enough for C2 to inline every vector operation (with four rows of 4-bit decoding the method
 * passes C2's node budget, the rest of the Vector API calls stay out of line and the kernel runs ~8x slower).
 * The bits of a block are picked out in byte lanes (shifts by constants, no choice between two vectors, which
 * C2 would box) and widened straight to float ({@code B2F}).
 *
 * <p>Needs 16-float (512-bit) vectors, where 16 bytes widen to one vector ({@link #SUPPORTED}); other shapes
 * decode to a scratch row instead. Block layouts as on {@link BlockDecode}.
 */
final class BlockDot {
    private static final VectorSpecies<Float> F = Vec.F;
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_128;
    /** Whether the vector shape suits these kernels (else callers decode to a scratch row). */
    static final boolean SUPPORTED = Vec.L == 16;

    private BlockDot() {
    }

    /**
     * {@code sums[r] = sum_i w_r[i] * x[x0 + i]} for the two rows whose blocks start at bytes {@code at} and
     * {@code at + rowBytes}, over {@code n} values.
     *
     * @param n a whole number of {@code dtype} blocks
     */
    static void dot2(DType dtype, MemorySegment w, long at, long rowBytes, float[] x, int x0, int n, float[] sums) {
        switch (dtype) {
            case Q8_0 -> q8_0(w, at, rowBytes, x, x0, n / 32, sums);
            case Q4_0 -> q4_0(w, at, rowBytes, x, x0, n / 32, sums);
            case Q4_1 -> q4_1(w, at, rowBytes, x, x0, n / 32, sums);
            case Q4_K -> q4_k(w, at, rowBytes, x, x0, n / 256, sums);
            case Q6_K -> q6_k(w, at, rowBytes, x, x0, n / 256, sums);
            default -> throw new IllegalArgumentException(dtype + " is not a block type");
        }
    }

    private static float half(MemorySegment w, long at) {
        return Float.float16ToFloat(w.get(Tensor.I16_LE, at));
    }

    private static ByteVector bytes(MemorySegment w, long at) {
        return ByteVector.fromMemorySegment(B, w, at, LE);
    }

    /** Sixteen signed bytes as floats (exact). */
    private static FloatVector floats(ByteVector b) {
        return (FloatVector) b.convertShape(VectorOperators.B2F, F, 0);
    }

    private static FloatVector xs(float[] x, int at) {
        return FloatVector.fromArray(F, x, at);
    }

    private static ByteVector low(ByteVector b) {
        return b.and((byte) 0xF);
    }

    private static ByteVector high(ByteVector b) {
        return b.lanewise(VectorOperators.LSHR, 4);
    }

    private static void q8_0(MemorySegment w, long at, long rs, float[] x, int x0, int blocks, float[] sums) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0;
        for (int b = 0; b < blocks; b++, at += 34, x0 += 32) {
            float d0 = half(w, at), d1 = half(w, at + rs);
            FloatVector xl = xs(x, x0), xh = xs(x, x0 + 16);
            a0 = floats(bytes(w, at + 2)).mul(d0).fma(xl, a0);
            a1 = floats(bytes(w, at + rs + 2)).mul(d1).fma(xl, a1);
            a0 = floats(bytes(w, at + 18)).mul(d0).fma(xh, a0);
            a1 = floats(bytes(w, at + rs + 18)).mul(d1).fma(xh, a1);
        }
        sums[0] = Lanes.sum(a0);
        sums[1] = Lanes.sum(a1);
    }

    /** Q4_0: values 0..15 are the low nibbles, 16..31 the high ones; y = d * (q - 8), q - 8 fits a signed byte. */
    private static void q4_0(MemorySegment w, long at, long rs, float[] x, int x0, int blocks, float[] sums) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0;
        for (int b = 0; b < blocks; b++, at += 18, x0 += 32) {
            float d0 = half(w, at), d1 = half(w, at + rs);
            ByteVector q0 = bytes(w, at + 2), q1 = bytes(w, at + rs + 2);
            FloatVector xl = xs(x, x0), xh = xs(x, x0 + 16);
            a0 = floats(low(q0).sub((byte) 8)).mul(d0).fma(xl, a0);
            a1 = floats(low(q1).sub((byte) 8)).mul(d1).fma(xl, a1);
            a0 = floats(high(q0).sub((byte) 8)).mul(d0).fma(xh, a0);
            a1 = floats(high(q1).sub((byte) 8)).mul(d1).fma(xh, a1);
        }
        sums[0] = Lanes.sum(a0);
        sums[1] = Lanes.sum(a1);
    }

    /** Q4_1: y = d * q + m. */
    private static void q4_1(MemorySegment w, long at, long rs, float[] x, int x0, int blocks, float[] sums) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0;
        for (int b = 0; b < blocks; b++, at += 20, x0 += 32) {
            float d0 = half(w, at), m0 = half(w, at + 2), d1 = half(w, at + rs), m1 = half(w, at + rs + 2);
            ByteVector q0 = bytes(w, at + 4), q1 = bytes(w, at + rs + 4);
            FloatVector xl = xs(x, x0), xh = xs(x, x0 + 16);
            a0 = floats(low(q0)).mul(d0).add(m0).fma(xl, a0);
            a1 = floats(low(q1)).mul(d1).add(m1).fma(xl, a1);
            a0 = floats(high(q0)).mul(d0).add(m0).fma(xh, a0);
            a1 = floats(high(q1)).mul(d1).add(m1).fma(xh, a1);
        }
        sums[0] = Lanes.sum(a0);
        sums[1] = Lanes.sum(a1);
    }

    private static int u8(MemorySegment w, long at) {
        return w.get(ValueLayout.JAVA_BYTE, at) & 0xFF;
    }

    /**
     * Q4_K: the super-block's eight sub-block scales {@code d * sc} into {@code out[0..8)} and mins
     * {@code dmin * m} into {@code out[8..16)}, each product rounded to float as the reference forms them. Scalar
     * work done apart from the vector loop: every memory access inlined into the kernel spends C2's node budget.
     */
    private static void q4kScales(MemorySegment w, long at, float[] out) {
        float d = half(w, at);
        float dmin = half(w, at + 2);
        for (int j = 0; j < 8; j++) {
            int sc, m;
            if (j < 4) {
                sc = u8(w, at + 4 + j) & 0x3F;
                m = u8(w, at + 8 + j) & 0x3F;
            } else {
                int packed = u8(w, at + 12 + j - 4);
                sc = (packed & 0xF) | (u8(w, at + j) >>> 2 & 0x30);
                m = (packed >>> 4) | (u8(w, at + 4 + j) >>> 2 & 0x30);
            }
            out[j] = d * (float) sc;
            out[8 + j] = dmin * (float) m;
        }
    }

    /** Q4_K: sub-blocks 2p (low nibbles) and 2p + 1 (high nibbles) share 32 bytes; y = (d * sc) * q - dmin * m. */
    private static void q4_k(MemorySegment w, long at, long rs, float[] x, int x0, int blocks, float[] sums) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0;
        float[] s0 = SCALES0.get(), s1 = SCALES1.get();
        for (int b = 0; b < blocks; b++, at += 144, x0 += 256) {
            long p0 = at, p1 = at + rs;
            q4kScales(w, p0, s0);
            q4kScales(w, p1, s1);
            for (int j = 0; j < 8; j++) {
                // sub-blocks 2p and 2p + 1 share 32 bytes: a shift count, not two code paths (C2's node budget)
                long q = 16 + (j / 2) * 32L;
                int shift = (j % 2) * 4;
                float dl0 = s0[j], ml0 = s0[8 + j], dl1 = s1[j], ml1 = s1[8 + j];
                for (int c = 0; c < 32; c += 16) {
                    FloatVector xv = xs(x, x0 + j * 32 + c);
                    ByteVector q0 = bytes(w, p0 + q + c).lanewise(VectorOperators.LSHR, shift).and((byte) 0xF);
                    ByteVector q1 = bytes(w, p1 + q + c).lanewise(VectorOperators.LSHR, shift).and((byte) 0xF);
                    a0 = floats(q0).mul(dl0).sub(ml0).fma(xv, a0);
                    a1 = floats(q1).mul(dl1).sub(ml1).fma(xv, a1);
                }
            }
        }
        sums[0] = Lanes.sum(a0);
        sums[1] = Lanes.sum(a1);
    }

    /** Per-thread room for two rows' decoded super-block scales. */
    private static final ThreadLocal<float[]> SCALES0 = ThreadLocal.withInitial(() -> new float[16]);
    private static final ThreadLocal<float[]> SCALES1 = ThreadLocal.withInitial(() -> new float[16]);

    /**
     * Q6_K values i .. i + 15 of the super-block at {@code at} (i = h * 128 + r, r a multiple of 16), minus 32:
     * low nibble from byte {@code h * 64 + r % 64} (high nibble when r >= 64), two high bits from byte
     * {@code 128 + h * 32 + r % 32} at bit {@code 2 * (r / 32)}; -32..31 fits a signed byte. Shift counts are
     * computed, so C2 sees one path (no vector chosen between branches).
     */
    private static ByteVector q6k(MemorySegment w, long at, int h, int r) {
        ByteVector ql = bytes(w, at + h * 64L + r % 64).lanewise(VectorOperators.LSHR, (r / 64) * 4).and((byte) 0xF);
        ByteVector qh = bytes(w, at + 128 + h * 32L + r % 32).lanewise(VectorOperators.LSHR, 2 * (r / 32)).and((byte) 3);
        return ql.or(qh.lanewise(VectorOperators.LSHL, 4)).sub((byte) 32);
    }

    /** Q6_K: the super-block's sixteen group scales {@code d * sc} into {@code out[0..16)}. */
    private static void q6kScales(MemorySegment w, long at, float[] out) {
        float d = half(w, at + 208);
        for (int g = 0; g < 16; g++) out[g] = d * (float) w.get(ValueLayout.JAVA_BYTE, at + 192 + g);
    }

    /** Q6_K: y = (d * sc) * (q - 32), one signed scale per group of 16 values. */
    private static void q6_k(MemorySegment w, long at, long rs, float[] x, int x0, int blocks, float[] sums) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0;
        float[] s0 = SCALES0.get(), s1 = SCALES1.get();
        for (int b = 0; b < blocks; b++, at += 210, x0 += 256) {
            long p0 = at, p1 = at + rs;
            q6kScales(w, p0, s0);
            q6kScales(w, p1, s1);
            for (int i = 0; i < 256; i += 16) {
                int h = i / 128, r = i % 128;
                FloatVector xv = xs(x, x0 + i);
                a0 = floats(q6k(w, p0, h, r)).mul(s0[i / 16]).fma(xv, a0);
                a1 = floats(q6k(w, p1, h, r)).mul(s1[i / 16]).fma(xv, a1);
            }
        }
        sums[0] = Lanes.sum(a0);
        sums[1] = Lanes.sum(a1);
    }
}
