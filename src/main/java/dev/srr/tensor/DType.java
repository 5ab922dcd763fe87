package dev.srr.tensor;

import dev.srr.SrrException;

/** Storage dtypes srr computes from in place. Names follow the safetensors header. */
public enum DType {
    F32(4), F16(2), BF16(2);

    public final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
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

    /** Parses a user-facing dtype name such as {@code bf16} or {@code float16}. */
    public static DType parse(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "f32", "fp32", "float32", "float" -> F32;
            case "f16", "fp16", "float16", "half" -> F16;
            case "bf16", "bfloat16" -> BF16;
            default -> throw new SrrException("unknown dtype '" + name + "' (use f32, f16 or bf16)");
        };
    }
}
