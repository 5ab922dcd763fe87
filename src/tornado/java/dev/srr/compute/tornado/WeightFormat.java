package dev.srr.compute.tornado;

import dev.srr.SrrException;

import java.util.Locale;

/**
 * How matrices live on the device. {@code F32}: widened at load, exact against the CPU backend, the only choice
 * on devices without half precision (PoCL on a CPU). {@code F16}: half the memory and bandwidth; BF16 checkpoints
 * are rounded to FP16 at load (values beyond FP16's range would overflow; real checkpoints stay far inside it).
 * Norm weights and biases stay FP32 either way.
 */
public enum WeightFormat {
    F32, F16;

    /** {@code f32}, {@code f16} or {@code auto} (F16 on GPUs, F32 elsewhere). */
    static WeightFormat parse(String value, boolean gpu) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "f32" -> F32;
            case "f16" -> F16;
            case "auto" -> gpu ? F16 : F32;
            default -> throw new SrrException("-D" + TornadoSettings.WEIGHTS + "=" + value + ": use f32, f16 or auto");
        };
    }
}
