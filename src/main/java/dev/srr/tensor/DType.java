package dev.srr.tensor;

import dev.srr.SrrException;

/**
 * Storage dtypes srr computes from in place: the float types (names follow the safetensors header) and ggml's
 * block-quantized types that the CPU kernels read straight from their blocks.
 *
 * <p>A block type stores {@link #blockSize} consecutive values of a row in {@link #blockBytes} bytes; rows are
 * whole blocks, so row {@code r} of a {@code [rows, n]} tensor starts at byte {@code r * rowBytes(n)}. Block
 * layouts: ggml's {@code ggml-common.h} structs ({@code block_q8_0}, {@code block_q4_0}, {@code block_q4_1},
 * {@code block_q4_K}, {@code block_q6_K}); decoding them: {@link Dequantizer}.
 */
public enum DType {
    F32(4, 1, 4),
    F16(2, 1, 2),
    BF16(2, 1, 2),
    /** 32 values: f16 scale d, 32 signed bytes; value = q * d. */
    Q8_0(0, 32, 34),
    /** 32 values: f16 scale d, 16 bytes of nibbles; value = d * (q - 8). */
    Q4_0(0, 32, 18),
    /** 32 values: f16 scale d, f16 offset m, 16 bytes of nibbles; value = d * q + m. */
    Q4_1(0, 32, 20),
    /** 256 values in 8 sub-blocks of 32 with 6-bit scales and mins. */
    Q4_K(0, 256, 144),
    /** 256 values of 6 bits in 16 groups of 16 with signed 8-bit scales. */
    Q6_K(0, 256, 210);

    /** Bytes per value of a float dtype; 0 for a block type (use {@link #rowBytes}). */
    public final int bytes;
    /** Values per block: 1 for the float types. */
    public final int blockSize;
    /** Bytes per block ({@link #bytes} for the float types). */
    public final int blockBytes;

    DType(int bytes, int blockSize, int blockBytes) {
        this.bytes = bytes;
        this.blockSize = blockSize;
        this.blockBytes = blockBytes;
    }

    /** True for the block-quantized types. */
    public boolean isBlock() {
        return blockSize > 1;
    }

    /**
     * Bytes of a row of {@code n} values.
     *
     * @throws IllegalArgumentException when {@code n} is not a whole number of blocks
     */
    public long rowBytes(long n) {
        if (n % blockSize != 0) throw new IllegalArgumentException(n + " values are not whole " + this + " blocks of " + blockSize);
        return n / blockSize * blockBytes;
    }

    /** The GGUF storage type of the same layout. */
    public GgmlType ggmlType() {
        return GgmlType.valueOf(name());
    }

    /** The dtype computing in place from GGUF type {@code type}, or null when srr has no kernels for it. */
    public static DType ofGgml(GgmlType type) {
        return switch (type) {
            case F32 -> F32;
            case F16 -> F16;
            case BF16 -> BF16;
            case Q8_0 -> Q8_0;
            case Q4_0 -> Q4_0;
            case Q4_1 -> Q4_1;
            case Q4_K -> Q4_K;
            case Q6_K -> Q6_K;
            default -> null;
        };
    }

    /** Parses a safetensors dtype name; {@code where} names the file and tensor for the error message. */
    public static DType fromSafetensors(String name, String where) {
        return switch (name) {
            case "F32" -> F32;
            case "F16" -> F16;
            case "BF16" -> BF16;
            default -> throw new SrrException(where + ": unsupported dtype '" + name + "' (srr reads F32, F16, BF16)");
        };
    }

    /** Parses a user-facing float dtype name such as {@code bf16} or {@code float16}. */
    public static DType parse(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "f32", "fp32", "float32", "float" -> F32;
            case "f16", "fp16", "float16", "half" -> F16;
            case "bf16", "bfloat16" -> BF16;
            default -> throw new SrrException("unknown dtype '" + name + "' (use f32, f16 or bf16)");
        };
    }
}
