package dev.srr.model;

/**
 * Shape and behaviour of a decoder-only transformer. The four supported families differ only in these
 * flags: q/k/v biases (Qwen2), per-head q/k RMSNorm (Qwen3), a sliding attention window (Mistral).
 */
public record ModelConfig(
        String modelType,
        int vocabSize,
        int hiddenSize,
        int intermediateSize,
        int numLayers,
        int numHeads,
        int numKvHeads,
        int headDim,
        float rmsNormEps,
        RopeScaling rope,
        int maxPositions,
        boolean tiedEmbeddings,
        boolean attentionBias,
        boolean qkNorm,
        int slidingWindow,
        String dtype,
        int bosTokenId,
        int[] eosTokenIds) {

    public int qDim() {
        return numHeads * headDim;
    }

    public int kvDim() {
        return numKvHeads * headDim;
    }

    /** The decoder layer at 25% depth, counted from 1 (a {@code hidden_states} index), at least 1: SRR's default. */
    public int quarterLayer() {
        return quarterLayer(numLayers);
    }

    /** {@link #quarterLayer()} of a model with {@code numLayers} decoder layers. */
    public static int quarterLayer(int numLayers) {
        return Math.max(1, (int) Math.round(0.25 * numLayers));
    }

    /** Parameter count from the shapes alone. */
    public long parameterCount() {
        long d = hiddenSize;
        long perLayer = d * qDim() + 2 * d * kvDim() + (long) qDim() * d // q, k, v, o
                + 3 * d * intermediateSize // gate, up, down
                + 2 * d; // two norms
        if (attentionBias) perLayer += qDim() + 2L * kvDim();
        if (qkNorm) perLayer += 2L * headDim;
        long total = perLayer * numLayers + (long) vocabSize * d + d;
        if (!tiedEmbeddings) total += (long) vocabSize * d;
        return total;
    }
}
