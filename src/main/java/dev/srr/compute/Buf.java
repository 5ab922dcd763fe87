package dev.srr.compute;

import dev.srr.model.ModelConfig;

/** The named activation buffers a layer plan works on; each holds one row per token of the step. */
public enum Buf {
    /** The residual stream. */
    X,
    /** RMSNorm output feeding a projection. */
    NORMED,
    Q, K, V,
    /** Attention output, before the output projection. */
    ATTN,
    /** Output of a projection that is added back into the residual stream. */
    DELTA,
    GATE, UP;

    /** Floats per row for this buffer under {@code c}. */
    public int width(ModelConfig c) {
        return switch (this) {
            case X, NORMED, DELTA -> c.hiddenSize();
            case Q, ATTN -> c.qDim();
            case K, V -> c.kvDim();
            case GATE, UP -> c.intermediateSize();
        };
    }
}
