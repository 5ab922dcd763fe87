package dev.srr.compute.tornado;

import dev.srr.compute.CpuKernels;
import dev.srr.model.Weights;
import dev.srr.tensor.DType;
import dev.srr.tensor.Tensor;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.HalfFloatArray;
import uk.ac.manchester.tornado.api.types.arrays.ShortArray;
import uk.ac.manchester.tornado.api.types.arrays.TornadoNativeArray;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Converts checkpoint tensors into TornadoVM arrays that are sent to the device once. Fused kernels read one
 * array made of several tensors' rows (q|k|v, gate|up), so the concatenation happens here, at load.
 */
final class DeviceWeights {
    /** Elements converted per chunk: bounds the heap used while widening a large matrix. */
    private static final int CHUNK = 1 << 20;

    private final Weights weights;
    private final WeightFormat format;
    /** Bytes of every array handed out so far: what the graphs upload once. */
    private long bytes;
    /** The {@link WeightFormat#RAW16} arrays holding IEEE half bits; every other {@link ShortArray} holds BF16 bits. */
    private final Set<ShortArray> halfBits = Collections.newSetFromMap(new IdentityHashMap<>());

    DeviceWeights(Weights weights, WeightFormat format) {
        this.weights = weights;
        this.format = format;
    }

    WeightFormat format() {
        return format;
    }

    long bytes() {
        return bytes;
    }

    /** 1 when {@code w} (a {@link WeightFormat#RAW16} array) holds IEEE half bits, 0 for BF16 bits: the kernels' {@code fp16}. */
    int fp16(ShortArray w) {
        return halfBits.contains(w) ? 1 : 0;
    }

    /**
     * The rows of the named matrices one after another, as {@link FloatArray}, {@link HalfFloatArray} or (RAW16,
     * when all of them are BF16 or all F16) {@link ShortArray} holding the checkpoint's bits unchanged.
     */
    TornadoNativeArray matrix(String... names) {
        long total = 0;
        for (String n : names) total += weights.all().get(n).size();
        if (total > Integer.MAX_VALUE) throw new IllegalStateException("matrix " + names[0] + " has more than 2^31 elements");
        DType raw = format == WeightFormat.RAW16 ? rawType(names) : null;
        if (raw != null) {
            ShortArray out = new ShortArray((int) total);
            long at = 0;
            for (String name : names) {
                Tensor t = weights.all().get(name);
                MemorySegment.copy(t.data(), Tensor.I16_LE, 0, out.getSegment(), ValueLayout.JAVA_SHORT, at * Short.BYTES, t.size());
                at += t.size();
            }
            bytes += total * Short.BYTES;
            if (raw == DType.F16) halfBits.add(out);
            return out;
        }
        if (format != WeightFormat.F16) {
            FloatArray out = new FloatArray((int) total);
            copy(names, out.getSegment(), false);
            bytes += total * Float.BYTES;
            return out;
        }
        HalfFloatArray out = new HalfFloatArray((int) total);
        bytes += total * Short.BYTES;
        copy(names, out.getSegment(), true);
        return out;
    }

    /** BF16 or F16 when every named tensor has that dtype, else null (F32, block-quantized or mixed: stored as FP32). */
    private DType rawType(String[] names) {
        DType first = weights.all().get(names[0]).dtype();
        if (first != DType.BF16 && first != DType.F16) return null;
        for (String n : names) if (weights.all().get(n).dtype() != first) return null;
        return first;
    }

    /** Small tensors (norm weights, biases) concatenated, always FP32. */
    FloatArray vector(String... names) {
        long total = 0;
        for (String n : names) total += weights.all().get(n).size();
        FloatArray out = new FloatArray((int) total);
        copy(names, out.getSegment(), false);
        bytes += total * Float.BYTES;
        return out;
    }

    private void copy(String[] names, MemorySegment dst, boolean half) {
        float[] buf = new float[CHUNK];
        long at = 0;
        for (String name : names) {
            Tensor t = weights.all().get(name);
            for (long from = 0; from < t.size(); from += CHUNK) {
                int n = (int) Math.min(CHUNK, t.size() - from);
                CpuKernels.widen(t, from, buf, n);
                if (half) {
                    for (int i = 0; i < n; i++) dst.setAtIndex(ValueLayout.JAVA_SHORT, at + i, Float.floatToFloat16(buf[i]));
                } else {
                    MemorySegment.copy(buf, 0, dst, ValueLayout.JAVA_FLOAT, at * Float.BYTES, n);
                }
                at += n;
            }
        }
    }
}
