package dev.srr.engine;

/**
 * One captured hidden state, the key it keeps from the forward to the ranker: {@code hidden_states[layer]} (0 =
 * embeddings, i = output of decoder layer i-1, numLayers = after the final norm, as transformers numbers them)
 * reduced over a sequence's positions by {@code pooling}.
 */
public record Capture(int layer, Pooling pooling) {
}
