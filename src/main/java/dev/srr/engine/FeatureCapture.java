package dev.srr.engine;

import dev.srr.SrrException;
import dev.srr.model.ModelConfig;

/**
 * Which hidden state generation captures for SRR: a {@code hidden_states} index (0 = embeddings, i = output
 * of decoder layer i-1, numLayers = after the final norm), or none.
 */
public record FeatureCapture(int layer) {
    private static final int NO_LAYER = -1;

    public static FeatureCapture none() {
        return new FeatureCapture(NO_LAYER);
    }

    public static FeatureCapture at(int layer) {
        if (layer < 0) throw new SrrException("feature layer must be at least 0, got " + layer);
        return new FeatureCapture(layer);
    }

    public boolean enabled() {
        return layer != NO_LAYER;
    }

    void check(ModelConfig config) {
        if (enabled() && layer > config.numLayers()) {
            throw new SrrException("feature layer " + layer + " is outside 0.." + config.numLayers());
        }
    }
}
