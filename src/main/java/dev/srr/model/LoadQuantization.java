package dev.srr.model;

import dev.srr.SrrException;
import dev.srr.tensor.DType;
import dev.srr.tensor.Q8Quantizer;
import dev.srr.tensor.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * {@code -Dsrr.quantize=q8_0}: a float checkpoint's projection matrices (q, k, v, o, gate, up, down of every layer;
 * not the embeddings, the LM head or the vectors) quantized to Q8_0 once at load into off-heap memory, then
 * computed in place by the block kernels: about a quarter of float32's bytes and half of bfloat16's. Matrices that
 * are already block-quantized, or whose rows are not whole 32-value blocks, are left as they are. Rounding is
 * ggml's ({@link Q8Quantizer}).
 */
public final class LoadQuantization {
    /** The property naming the type to quantize to: {@code q8_0}, or {@code none} (the default). */
    public static final String PROPERTY = "srr.quantize";
    private static final int ROWS_PER_TASK = 64;

    private LoadQuantization() {
    }

    /**
     * {@code weights} with the projections quantized as {@code -Dsrr.quantize} asks, or {@code weights} itself.
     * The new memory is released with the returned weights.
     *
     * @throws SrrException for an unknown value of the property
     */
    public static Weights apply(Weights weights, ModelConfig config) {
        String v = System.getProperty(PROPERTY, "none").toLowerCase(Locale.ROOT);
        switch (v) {
            case "none", "" -> {
                return weights;
            }
            case "q8_0" -> {
            }
            default -> throw new SrrException("-D" + PROPERTY + "=" + v + ": use q8_0 or none");
        }
        Map<String, Tensor> replaced = new LinkedHashMap<>();
        Arena arena = Arena.ofShared();
        try {
            for (int layer = 0; layer < config.numLayers(); layer++) {
                for (LayerTensor t : LayerTensor.values()) {
                    if (!t.presentIn(config) || t.shape(config).length != 2) continue;
                    Tensor w = weights.all().get(t.name(layer));
                    if (w == null || w.dtype().isBlock() || w.dim(1) % DType.Q8_0.blockSize != 0) continue;
                    replaced.put(w.name(), toQ8_0(w, arena));
                }
            }
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
        return weights.with(replaced, arena);
    }

    /** {@code w} ([rows, cols], a float dtype, cols a multiple of 32) as Q8_0 blocks in {@code arena}. */
    static Tensor toQ8_0(Tensor w, Arena arena) {
        int rows = w.dim(0);
        int cols = w.dim(1);
        long rowBytes = DType.Q8_0.rowBytes(cols);
        MemorySegment dst = arena.allocate(rows * rowBytes, 64);
        int tasks = (rows + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
        IntStream.range(0, tasks).parallel().forEach(task -> {
            float[] row = new float[cols];
            for (int r = task * ROWS_PER_TASK; r < Math.min(rows, (task + 1) * ROWS_PER_TASK); r++) {
                w.copyTo((long) r * cols, row);
                Q8Quantizer.quantize(row, 0, cols, dst, r * rowBytes);
            }
        });
        return new Tensor(w.name(), DType.Q8_0, w.shape(), dst);
    }
}
