package dev.srr.tensor;

import dev.srr.SrrException;

/**
 * Tensor storage types of GGUF files, by their numeric id in ggml's {@code ggml_type} enum. Each type stores
 * {@link #blockSize} values in {@link #blockBytes} bytes. srr reads the float types in place and dequantizes the
 * block-quantized types at load ({@link Dequantizer}); the others are known by name only, so that a file using
 * them is refused with the type's name.
 *
 * <p>Block sizes and byte counts: ggml's {@code ggml-common.h} block structs (also {@code GGML_QUANT_SIZES} in
 * the {@code gguf} Python package).
 */
public enum GgmlType {
    F32(0, 1, 4, true),
    F16(1, 1, 2, true),
    Q4_0(2, 32, 18, true),
    Q4_1(3, 32, 20, true),
    Q5_0(6, 32, 22, true),
    Q5_1(7, 32, 24, true),
    Q8_0(8, 32, 34, true),
    Q8_1(9, 32, 40, false),
    Q2_K(10, 256, 84, true),
    Q3_K(11, 256, 110, true),
    Q4_K(12, 256, 144, true),
    Q5_K(13, 256, 176, true),
    Q6_K(14, 256, 210, true),
    Q8_K(15, 256, 292, false),
    IQ2_XXS(16, 256, 66, false),
    IQ2_XS(17, 256, 74, false),
    IQ3_XXS(18, 256, 98, false),
    IQ1_S(19, 256, 50, false),
    IQ4_NL(20, 32, 18, false),
    IQ3_S(21, 256, 110, false),
    IQ2_S(22, 256, 82, false),
    IQ4_XS(23, 256, 136, false),
    I8(24, 1, 1, false),
    I16(25, 1, 2, false),
    I32(26, 1, 4, false),
    I64(27, 1, 8, false),
    F64(28, 1, 8, false),
    IQ1_M(29, 256, 56, false),
    BF16(30, 1, 2, true),
    TQ1_0(34, 256, 54, false),
    TQ2_0(35, 256, 66, false),
    MXFP4(39, 32, 17, false),
    NVFP4(40, 64, 36, false),
    Q1_0(41, 128, 18, false);

    /** The id stored in a GGUF tensor info. */
    public final int id;
    /** Values per block (1 for the plain types). */
    public final int blockSize;
    /** Bytes per block. */
    public final int blockBytes;
    /** Whether srr can read this type (in place or by dequantizing). */
    public final boolean supported;

    GgmlType(int id, int blockSize, int blockBytes, boolean supported) {
        this.id = id;
        this.blockSize = blockSize;
        this.blockBytes = blockBytes;
        this.supported = supported;
    }

    private static final GgmlType[] BY_ID = new GgmlType[64];

    static {
        for (GgmlType t : values()) BY_ID[t.id] = t;
    }

    /** The type with ggml id {@code id}; an unknown id is an error naming {@code where}. */
    public static GgmlType ofId(long id, String where) {
        GgmlType t = id >= 0 && id < BY_ID.length ? BY_ID[(int) id] : null;
        if (t == null) throw new SrrException(where + ": unknown ggml tensor type id " + id);
        return t;
    }

    /** True for the float types srr maps without conversion (F32, F16, BF16). */
    public boolean isFloat() {
        return this == F32 || this == F16 || this == BF16;
    }

    /** The float dtype of an in-place type, or null for block-quantized ones. */
    public DType floatDType() {
        return switch (this) {
            case F32 -> DType.F32;
            case F16 -> DType.F16;
            case BF16 -> DType.BF16;
            default -> null;
        };
    }

    /**
     * Bytes that {@code elements} values of this type occupy; {@code elements} must be a whole number of blocks.
     *
     * @throws SrrException naming {@code where} when it is not
     */
    public long bytesFor(long elements, String where) {
        if (elements % blockSize != 0) {
            throw new SrrException(where + ": " + elements + " values of type " + this + " are not a whole number of "
                    + blockSize + "-value blocks");
        }
        return Math.multiplyExact(elements / blockSize, (long) blockBytes);
    }
}
