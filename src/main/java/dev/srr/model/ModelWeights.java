package dev.srr.model;

/** Tensor names of the Hugging Face decoder layout and a check that a checkpoint has them all, in shape. */
public final class ModelWeights {
    public static final String EMBED = "model.embed_tokens.weight";
    public static final String FINAL_NORM = "model.norm.weight";
    public static final String LM_HEAD = "lm_head.weight";

    private ModelWeights() {
    }

    /** The output projection: {@code lm_head.weight}, or the embedding when the two are tied. */
    public static String lmHead(ModelConfig c) {
        return c.tiedEmbeddings() ? EMBED : LM_HEAD;
    }

    /** Fails with a message naming the first missing or misshapen tensor. */
    public static void check(ModelConfig c, Weights w) {
        w.require(EMBED, c.vocabSize(), c.hiddenSize());
        w.require(FINAL_NORM, c.hiddenSize());
        if (!c.tiedEmbeddings()) w.require(LM_HEAD, c.vocabSize(), c.hiddenSize());
        for (int i = 0; i < c.numLayers(); i++) {
            for (LayerTensor t : LayerTensor.values()) {
                if (t.presentIn(c)) w.require(t.name(i), t.shape(c));
            }
        }
    }
}
