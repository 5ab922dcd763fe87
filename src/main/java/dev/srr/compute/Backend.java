package dev.srr.compute;

import java.util.Map;

/**
 * Executes the forward of one model on some hardware. The engine drives it step by step: embedding, each
 * layer's {@link LayerPlan}, final norm, logits, and reads back only the rows it captures. Activations stay in
 * the backend between calls (device-resident on a GPU backend).
 */
public interface Backend extends AutoCloseable {
    String name();

    KvCache cache();

    /** {@code X[r] = embedding[step.tokens[r]]}; sizes the activation buffers for the step. */
    void embed(Step step);

    /** Runs decoder layer {@code layer} on the step's rows. */
    void layer(int layer, Step step);

    /** {@code NORMED = finalNorm(X)}. */
    void finalNorm(Step step);

    /** Logits of the given rows of NORMED into {@code out} (rows.length x vocab). */
    void logits(int[] rows, float[] out);

    /** Copies the given rows of {@code buf} into {@code out} (rows.length x width). */
    void read(Buf buf, int[] rows, float[] out);

    /** What starting took and on what (device, weight format, conversion/compile/upload times), for benchmarks. */
    default Map<String, Object> startupReport() {
        return Map.of();
    }

    @Override
    void close();
}
