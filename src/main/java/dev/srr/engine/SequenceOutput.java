package dev.srr.engine;

import java.util.Map;

/**
 * What a forward kept for one sequence: per {@link Capture}, row-major [T x hidden] for {@link Pooling#ALL},
 * [hidden] for LAST and MEAN; the raw last layer pooled by the request's first pooling; logits ([vocab] for the
 * last row, [T x vocab] for all rows) or null.
 */
public record SequenceOutput(int length, Map<Capture, float[]> hidden, float[] rawLastLayer, float[] logits) {

    /** {@code hidden_states[layer]} pooled by {@code pooling}, or null when it was not captured. */
    public float[] hidden(int layer, Pooling pooling) {
        return hidden.get(new Capture(layer, pooling));
    }
}
