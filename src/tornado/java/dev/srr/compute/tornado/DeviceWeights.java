package dev.srr.compute.tornado;

import dev.srr.compute.CpuKernels;
import dev.srr.model.Weights;
import dev.srr.tensor.Tensor;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.HalfFloatArray;
import uk.ac.manchester.tornado.api.types.arrays.TornadoNativeArray;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

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

    /** The rows of the named matrices one after another, as {@link FloatArray} or {@link HalfFloatArray}. */
    TornadoNativeArray matrix(String... names) {
        long total = 0;
        for (String n : names) total += weights.all().get(n).size();
        if (total > Integer.MAX_VALUE) throw new IllegalStateException("matrix " + names[0] + " has more than 2^31 elements");
        if (format == WeightFormat.F32) {
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
