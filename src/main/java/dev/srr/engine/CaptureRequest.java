package dev.srr.engine;

import java.util.Arrays;

/**
 * What a forward keeps: {@code hidden_states} indices (0 = embeddings, i = output of decoder layer i-1,
 * numLayers = after the final norm, as transformers numbers them), the raw output of the last layer, the
 * poolings, and whether logits are wanted. The forward stops after the highest layer it needs.
 */
public record CaptureRequest(int[] layers, Pooling[] poolings, boolean rawLastLayer, Logits logits) {

    public enum Logits { NONE, LAST, ALL }

    public CaptureRequest {
        layers = Arrays.stream(layers).distinct().sorted().toArray();
        poolings = poolings.clone();
    }

    public static CaptureRequest of(int[] layers, Pooling pooling) {
        return new CaptureRequest(layers, new Pooling[]{pooling}, false, Logits.NONE);
    }

    /** Decoder layers that must run: up to the highest requested index, all of them for logits. */
    public int depth(int numLayers) {
        int d = layers.length == 0 ? 0 : Math.min(layers[layers.length - 1], numLayers);
        if (rawLastLayer || logits != Logits.NONE) d = numLayers;
        return d;
    }

    public boolean needsFinalNorm(int numLayers) {
        return logits != Logits.NONE || (layers.length > 0 && layers[layers.length - 1] >= numLayers);
    }

    public boolean wants(Pooling p) {
        for (Pooling q : poolings) if (q == p) return true;
        return false;
    }
}
