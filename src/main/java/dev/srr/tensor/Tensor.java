package dev.srr.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A typed, row-major view over little-endian bytes (usually a memory-mapped safetensors or GGUF region).
 * Values are widened to float on read; nothing is copied. For a block-quantized dtype the flattened element
 * {@code i} lies in block {@code i / blockSize} (rows are whole blocks), decoded as {@link Dequantizer} does.
 */
public record Tensor(String name, DType dtype, long[] shape, MemorySegment data) {

    public static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfShort I16_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    public long size() {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int i) {
        return Math.toIntExact(shape[i]);
    }

    /** Element {@code i} of the flattened tensor, widened to float (a block type decodes the block holding it). */
    public float get(long i) {
        return switch (dtype) {
            case F32 -> data.get(F32_LE, i * 4);
            case F16 -> Float.float16ToFloat(data.get(I16_LE, i * 2));
            case BF16 -> Float.intBitsToFloat(data.get(I16_LE, i * 2) << 16);
            default -> {
                float[] one = new float[1];
                copyBlocks(i, one, 0, 1);
                yield one[0];
            }
        };
    }

    /** Copies elements [from, from + out.length) into {@code out} as floats. */
    public void copyTo(long from, float[] out) {
        copyTo(from, out, 0, out.length);
    }

    public void copyTo(long from, float[] out, int offset, int length) {
        if (dtype == DType.F32) {
            MemorySegment.copy(data, F32_LE, from * 4, out, offset, length);
            return;
        }
        if (dtype.isBlock()) {
            copyBlocks(from, out, offset, length);
            return;
        }
        for (int i = 0; i < length; i++) out[offset + i] = get(from + i);
    }

    /** Blocks covering [from, from + length) decoded a few at a time, the overlap copied out. */
    private void copyBlocks(long from, float[] out, int offset, int length) {
        int bs = dtype.blockSize;
        int chunk = Math.max(1, 4096 / bs);
        byte[] raw = new byte[chunk * dtype.blockBytes];
        float[] values = new float[chunk * bs];
        long end = from + length;
        for (long b = from / bs; b * bs < end; b += chunk) {
            int blocks = (int) Math.min(chunk, (end - b * bs + bs - 1) / bs);
            MemorySegment.copy(data, ValueLayout.JAVA_BYTE, b * dtype.blockBytes, raw, 0, blocks * dtype.blockBytes);
            Dequantizer.dequantize(dtype.ggmlType(), raw, 0, values, 0, blocks * bs);
            long lo = Math.max(from, b * bs);
            long hi = Math.min(end, (b + blocks) * bs);
            System.arraycopy(values, (int) (lo - b * bs), out, offset + (int) (lo - from), (int) (hi - lo));
        }
    }

    public float[] toFloatArray() {
        float[] out = new float[Math.toIntExact(size())];
        copyTo(0, out);
        return out;
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }

    public static short floatToBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) return (short) ((bits >>> 16) | 0x40);
        // round to nearest even, as torch does
        int rounding = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }

    public static float bf16ToFloat(short s) {
        return Float.intBitsToFloat(s << 16);
    }
}
