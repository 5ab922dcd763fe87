package dev.srr.engine;

import java.util.List;

/**
 * The distinct candidates of one generation in request order, the prompt as it ran (after any truncation),
 * the prompt's last-token state at the feature layer (null without features) and how many duplicates merged.
 */
public record GenerationResult(List<GeneratedCandidate> candidates, int[] prompt, int truncatedPromptTokens,
                               float[] promptState, int featureLayer, int merged, GenerationStats stats) {
}
