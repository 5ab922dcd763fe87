package dev.srr.compute;

import dev.srr.tensor.DType;
import dev.srr.tensor.Q8Quantizer;
import dev.srr.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Decode (one token) through a 64 MiB weight matrix, twice the L3 of the machines measured, so every step streams
 * from memory, at row widths from SmolLM2's 576 to qwen2.5-0.5b's 4864. The matrix has the same bytes at every
 * width, so times compare directly: GB/s = 64 MiB / time. Compare touch-ahead on and off with
 * {@code -jvmArgsAppend -Dsrr.decode.touchRows=0}; one thread with {@code -Dsrr.threads=1}.
 *
 * scripts/jmh DecodeStreamBench -p dtype=Q8_0
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class DecodeStreamBench {
    static final long BYTES = 64L << 20;

    @Param({"Q8_0", "BF16"})
    DType dtype;

    @Param({"576", "1536", "4864"})
    int inW;

    Tensor weight;
    float[] x, out;

    @Setup
    public void setup() {
        long rowBytes = dtype.rowBytes(inW);
        int rows = (int) (BYTES / rowBytes);
        Random rnd = new Random(1);
        MemorySegment seg = Arena.ofAuto().allocate(rows * rowBytes, 64);
        float[] row = new float[inW];
        for (int o = 0; o < rows; o++) {
            for (int i = 0; i < inW; i++) row[i] = (float) rnd.nextGaussian() * 0.02f;
            if (dtype == DType.Q8_0) {
                Q8Quantizer.quantize(row, 0, inW, seg, o * rowBytes);
            } else {
                for (int i = 0; i < inW; i++) seg.set(Tensor.I16_LE, o * rowBytes + 2L * i, Tensor.floatToBf16(row[i]));
            }
        }
        weight = new Tensor("w", dtype, new long[]{rows, inW}, seg);
        x = new float[inW];
        for (int i = 0; i < inW; i++) x[i] = (float) rnd.nextGaussian();
        out = new float[rows];
    }

    @Benchmark
    public float[] decode() {
        float[] packed = new float[inW];
        MatMul.packing(dtype, 1).pack(x, 1, inW, packed);
        MatMul.linear(packed, 1, inW, new MatMul.Target(weight, null, out, weight.dim(0), false));
        return out;
    }
}
