package dev.srr.compute;

import java.util.Map;

/**
 * Host copies of what one step captured: per {@code hidden_states} index the requested rows
 * (rows x hidden), the raw last-layer output of those rows, and logits of the logit rows (rows x vocab).
 */
public record StepOutput(Map<Integer, float[]> hidden, float[] rawLastLayer, float[] logits) {
}
