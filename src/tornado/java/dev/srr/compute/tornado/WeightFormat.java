package dev.srr.compute.tornado;

import dev.srr.SrrException;

import java.util.Locale;

/**
 * How matrices live on the device. {@code F32}: widened at load, exact against the CPU backend, runs on every
 * device. {@code F16}: needs half precision ({@code cl_khr_fp16}; PoCL on a CPU has none); half the memory and
 * bandwidth; BF16 checkpoints are rounded to FP16 at load (values beyond FP16's range would overflow; real
 * checkpoints stay far inside it).
 * {@code RAW16}: the checkpoint's 16-bit patterns unchanged in a {@code ShortArray} (BF16 and F16 checkpoints; F32
 * matrices stay F32), widened inside the kernels from their bit fields (exact), so equal to the CPU backend and
 * free of OpenCL {@code half} (runs where {@code cl_khr_fp16} is missing, PoCL included).
 * Norm weights and biases stay FP32 in every format.
 */
public enum WeightFormat {
    F32, F16, RAW16;

    /** {@code f32}, {@code f16}, {@code raw16} (alias {@code bf16}) or {@code auto} (F16 on GPUs, F32 elsewhere). */
    static WeightFormat parse(String value, boolean gpu) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "f32" -> F32;
            case "f16" -> F16;
            case "raw16", "bf16" -> RAW16;
            case "auto" -> gpu ? F16 : F32;
            default -> throw new SrrException("-D" + TornadoSettings.WEIGHTS + "=" + value + ": use f32, f16, raw16 or auto");
        };
    }
}
