package dev.srr.compute;

import java.util.Map;

/**
 * Executes the forward of one model on some hardware, one step at a time: the embedding, each layer's
 * {@link LayerPlan}, the final norm and the logits, reading back only the rows a step captures. Activations and
 * the KV cache stay in the backend between steps (device-resident on a GPU backend).
 */
public interface Backend extends AutoCloseable {
    String name();

    KvCache cache();

    /**
     * Runs one step: the embedding, the decoder layers up to {@link StepRequest#depth}, the final norm when
     * needed, and returns host copies of only the rows and layers the request captures.
     */
    StepOutput run(StepRequest request);

    /** What starting took and on what (device, weight format, conversion/compile/upload times), for benchmarks. */
    default Map<String, Object> startupReport() {
        return Map.of();
    }

    @Override
    void close();
}
