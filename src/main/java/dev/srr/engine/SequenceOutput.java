package dev.srr.engine;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a forward kept for one sequence. Keys of {@code hidden} are {@code hidden_states} indices; values are
 * row-major: [T x hidden] for {@link Pooling#ALL}, [hidden] for LAST and MEAN.
 */
public record SequenceOutput(int length, Map<Pooling, TreeMap<Integer, float[]>> hidden, float[] rawLastLayer,
                             float[] logits) {

    public float[] hidden(int index, Pooling pooling) {
        TreeMap<Integer, float[]> byLayer = hidden.get(pooling);
        return byLayer == null ? null : byLayer.get(index);
    }
}
