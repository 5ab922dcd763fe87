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

    /** The last row's logits and no hidden state: what decoding reads. */
    public static CaptureRequest lastLogits() {
        return new CaptureRequest(new int[0], new Pooling[]{Pooling.LAST}, false, Logits.LAST);
    }

    public static CaptureRequest of(int[] layers, Pooling pooling) {
        return new CaptureRequest(layers, new Pooling[]{pooling}, false, Logits.NONE);
    }

    public boolean wants(Pooling p) {
        for (Pooling q : poolings) if (q == p) return true;
        return false;
    }
}
