package dev.srr.compute;

import dev.srr.tensor.DType;
import dev.srr.tensor.Dequantizer;
import dev.srr.tensor.Tensor;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.srr.compute.Vec.LE;

/**
 * Decodes ggml blocks straight from mapped memory into float32 with the Vector API: one load of {@link Vec#L}
 * bytes widened to int lanes, the bits picked out, converted and scaled. The float operations are those of
 * {@link Dequantizer} in the same order (a rounded product, then a rounded sum or difference; never a fused
 * multiply-add), so the values are bit-identical to it and to {@code gguf.quants.dequantize}.
 *
 * <p>Block layouts: ggml's {@code ggml-common.h} ({@code block_q8_0}, {@code block_q4_0}, {@code block_q4_1},
 * {@code block_q4_K}, {@code block_q6_K}), as described on {@link Dequantizer}'s methods. Vectors narrower than
 * 8 floats (128-bit machines) take {@link Dequantizer}'s scalar path. F16 rows (block size 1) are widened here too,
 * by a plain loop C2 compiles to the CPU's half-to-float conversion (prefill panels widen F16 in int lanes
 * instead, {@link F16Kernels}: sharing this loop with their 16-value pieces cost decode 9%).
 */
final class BlockDecode {
    private static final VectorSpecies<Float> F = Vec.F;
    private static final VectorSpecies<Integer> I = Vec.I;
    private static final int L = Vec.L;
    /** Bytes loaded to fill one int vector: a 64-bit load for 8 lanes, 128-bit for 16. */
    private static final VectorSpecies<Byte> B = L >= 16 ? ByteVector.SPECIES_128 : ByteVector.SPECIES_64;
    private static final boolean VECTOR = L == 8 || L == 16;

    private BlockDecode() {
    }

    /**
     * Values {@code [0, count)} of the row whose blocks start at byte {@code at} of {@code w} into
     * {@code out[off, off + count)}.
     *
     * @param count a whole number of {@code dtype} blocks
     */
    static void decode(DType dtype, MemorySegment w, long at, int count, float[] out, int off) {
        if (dtype == DType.F16) {
            halves(w, at, count, out, off);
            return;
        }
        int blocks = count / dtype.blockSize;
        if (!VECTOR) {
            scalar(dtype, w, at, count, out, off);
            return;
        }
        switch (dtype) {
            case Q8_0 -> {
                for (int b = 0; b < blocks; b++) q8_0(w, at + 34L * b, out, off + 32 * b);
            }
            case Q4_0 -> {
                for (int b = 0; b < blocks; b++) q4_0(w, at + 18L * b, out, off + 32 * b);
            }
            case Q4_1 -> {
                for (int b = 0; b < blocks; b++) q4_1(w, at + 20L * b, out, off + 32 * b);
            }
            case Q4_K -> {
                for (int b = 0; b < blocks; b++) q4_k(w, at + 144L * b, out, off + 256 * b);
            }
            case Q6_K -> {
                for (int b = 0; b < blocks; b++) q6_k(w, at + 210L * b, out, off + 256 * b);
            }
            default -> throw new IllegalArgumentException(dtype + " is not a block type");
        }
    }

    private static void scalar(DType dtype, MemorySegment w, long at, int count, float[] out, int off) {
        byte[] raw = new byte[Math.toIntExact(dtype.rowBytes(count))];
        MemorySegment.copy(w, ValueLayout.JAVA_BYTE, at, raw, 0, raw.length);
        Dequantizer.dequantize(dtype.ggmlType(), raw, 0, out, off, count);
    }

    /**
     * {@code count} F16 values as floats (exact). A plain loop on purpose: C2 vectorizes it to the CPU's
     * half-to-float instruction (16 values per instruction with AVX-512), which the Vector API does not offer.
     */
    private static void halves(MemorySegment w, long at, int count, float[] out, int off) {
        for (int i = 0; i < count; i++) out[off + i] = Float.float16ToFloat(w.get(Tensor.I16_LE, at + 2L * i));
    }

    private static float half(MemorySegment w, long at) {
        return Float.float16ToFloat(w.get(Tensor.I16_LE, at));
    }

    /** L bytes from {@code at}, sign-extended into int lanes. */
    private static IntVector ints(MemorySegment w, long at) {
        return (IntVector) ByteVector.fromMemorySegment(B, w, at, LE).convertShape(VectorOperators.B2I, I, 0);
    }

    private static FloatVector floats(IntVector v) {
        return (FloatVector) v.convert(VectorOperators.I2F, 0);
    }

    private static void q8_0(MemorySegment w, long at, float[] out, int off) {
        float d = half(w, at);
        for (int c = 0; c < 32; c += L) floats(ints(w, at + 2 + c)).mul(d).intoArray(out, off + c);
    }

    private static void q4_0(MemorySegment w, long at, float[] out, int off) {
        float d = half(w, at);
        for (int c = 0; c < 16; c += L) {
            IntVector q = ints(w, at + 2 + c);
            floats(q.and(0xF).sub(8)).mul(d).intoArray(out, off + c);
            floats(q.lanewise(VectorOperators.ASHR, 4).and(0xF).sub(8)).mul(d).intoArray(out, off + 16 + c);
        }
    }

    private static void q4_1(MemorySegment w, long at, float[] out, int off) {
        float d = half(w, at);
        float m = half(w, at + 2);
        for (int c = 0; c < 16; c += L) {
            IntVector q = ints(w, at + 4 + c);
            floats(q.and(0xF)).mul(d).add(m).intoArray(out, off + c);
            floats(q.lanewise(VectorOperators.ASHR, 4).and(0xF)).mul(d).add(m).intoArray(out, off + 16 + c);
        }
    }

    private static int u8(MemorySegment w, long at) {
        return w.get(ValueLayout.JAVA_BYTE, at) & 0xFF;
    }

    /** Q4_K: sub-block j's 6-bit scale (min = false) or min from the 12 packed bytes at {@code scales}. */
    private static int scaleMin(MemorySegment w, long scales, int j, boolean min) {
        if (j < 4) return u8(w, scales + j + (min ? 4 : 0)) & 0x3F;
        int packed = u8(w, scales + 8 + j - 4);
        int top = (u8(w, scales + j - 4 + (min ? 4 : 0)) >>> 2) & 0x30;
        return (min ? packed >>> 4 : packed & 0xF) | top;
    }

    private static void q4_k(MemorySegment w, long at, float[] out, int off) {
        float d = half(w, at);
        float dmin = half(w, at + 2);
        for (int j = 0; j < 8; j++) {
            float dl = d * (float) scaleMin(w, at + 4, j, false);
            float ml = dmin * (float) scaleMin(w, at + 4, j, true);
            long base = at + 16 + (j / 2) * 32L;
            int shift = (j % 2) * 4;
            for (int c = 0; c < 32; c += L) {
                IntVector q = ints(w, base + c).lanewise(VectorOperators.ASHR, shift).and(0xF);
                floats(q).mul(dl).sub(ml).intoArray(out, off + j * 32 + c);
            }
        }
    }

    private static void q6_k(MemorySegment w, long at, float[] out, int off) {
        float d = half(w, at + 208);
        for (int h = 0; h < 2; h++) {
            for (int r = 0; r < 128; r += L) {
                int i = h * 128 + r;
                float dl = d * (float) w.get(ValueLayout.JAVA_BYTE, at + 192 + i / 16);
                IntVector ql = ints(w, at + h * 64L + r % 64).lanewise(VectorOperators.ASHR, r < 64 ? 0 : 4).and(0xF);
                IntVector qh = ints(w, at + 128 + h * 32L + r % 32).lanewise(VectorOperators.ASHR, 2 * (r / 32)).and(3);
                floats(ql.or(qh.lanewise(VectorOperators.LSHL, 4)).sub(32)).mul(dl).intoArray(out, off + i);
            }
        }
    }
}
