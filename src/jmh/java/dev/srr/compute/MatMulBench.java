package dev.srr.compute;

import dev.srr.Parallel;
import dev.srr.tensor.DType;
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
 * One projection of qwen2.5-0.5b's MLP shape (up: 4864 x 896, down: 896 x 4864) for 1 token (decode), 8
 * (K candidates), 64 and 512 (prefill: the panel GEMM from {@code MatMul.GEMM_MIN_TOKENS} on), fast kernels vs
 * the previous widen-row-then-dot loop. Weights live off-heap like mapped ones; all threads of the compute pool
 * work, as in the engine. Compare the GEMM with the tiles it replaced at a token count with
 * {@code -jvmArgsAppend -Dsrr.matmul.gemmMinTokens=100000}.
 *
 * scripts/jmh MatMulBench -p dtype=BF16 -p tokens=1
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class MatMulBench {
    @Param({"BF16", "F16", "F32"})
    DType dtype;

    @Param({"1", "8", "64", "512"})
    int tokens;

    @Param({"4864x896", "896x4864"})
    String shape;

    Tensor weight;
    int inW, outW;
    float[] x, packed, out;

    @Setup
    public void setup() {
        String[] p = shape.split("x");
        outW = Integer.parseInt(p[0]);
        inW = Integer.parseInt(p[1]);
        Random rnd = new Random(1);
        MemorySegment seg = Arena.ofAuto().allocate((long) outW * inW * dtype.bytes, 64);
        for (long i = 0; i < (long) outW * inW; i++) {
            float v = (float) rnd.nextGaussian() * 0.02f;
            switch (dtype) {
                case F32 -> seg.set(Tensor.F32_LE, i * 4, v);
                case F16 -> seg.set(Tensor.I16_LE, i * 2, Float.floatToFloat16(v));
                case BF16 -> seg.set(Tensor.I16_LE, i * 2, Tensor.floatToBf16(v));
            }
        }
        weight = new Tensor("w", dtype, new long[]{outW, inW}, seg);
        x = new float[tokens * inW];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
        packed = new float[x.length];
        out = new float[tokens * outW];
    }

    @Benchmark
    public float[] fast() {
        MatMul.packing(dtype, tokens).pack(x, tokens, inW, packed);
        MatMul.linear(packed, tokens, inW, new MatMul.Target(weight, null, out, outW, false));
        return out;
    }

    /** The loop this replaced: widen each weight row to floats, then one vector dot per token. */
    @Benchmark
    public float[] widenThenDot() {
        Parallel.forRange(outW, 16, (from, to) -> {
            float[] row = new float[inW];
            for (int o = from; o < to; o++) {
                CpuKernels.widen(weight, (long) o * inW, row, inW);
                for (int r = 0; r < tokens; r++) out[r * outW + o] = CpuKernels.dot(row, 0, x, r * inW, inW);
            }
        });
        return out;
    }
}
