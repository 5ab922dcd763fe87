package dev.srr.model;

/** Tensor names of the Hugging Face decoder layout and a check that a checkpoint has them all, in shape. */
public final class ModelWeights {
    public static final String EMBED = "model.embed_tokens.weight";
    public static final String FINAL_NORM = "model.norm.weight";
    public static final String LM_HEAD = "lm_head.weight";

    private ModelWeights() {
    }

    public static String layer(int i, String suffix) {
        return "model.layers." + i + "." + suffix;
    }

    /** The output projection: {@code lm_head.weight}, or the embedding when the two are tied. */
    public static String lmHead(ModelConfig c) {
        return c.tiedEmbeddings() ? EMBED : LM_HEAD;
    }

    /** Fails with a message naming the first missing or misshapen tensor. */
    public static void check(ModelConfig c, Weights w) {
        long d = c.hiddenSize();
        long inter = c.intermediateSize();
        w.require(EMBED, c.vocabSize(), d);
        w.require(FINAL_NORM, d);
        if (!c.tiedEmbeddings()) w.require(LM_HEAD, c.vocabSize(), d);
        for (int i = 0; i < c.numLayers(); i++) {
            w.require(layer(i, "input_layernorm.weight"), d);
            w.require(layer(i, "post_attention_layernorm.weight"), d);
            w.require(layer(i, "self_attn.q_proj.weight"), c.qDim(), d);
            w.require(layer(i, "self_attn.k_proj.weight"), c.kvDim(), d);
            w.require(layer(i, "self_attn.v_proj.weight"), c.kvDim(), d);
            w.require(layer(i, "self_attn.o_proj.weight"), d, c.qDim());
            if (c.attentionBias()) {
                w.require(layer(i, "self_attn.q_proj.bias"), c.qDim());
                w.require(layer(i, "self_attn.k_proj.bias"), c.kvDim());
                w.require(layer(i, "self_attn.v_proj.bias"), c.kvDim());
            }
            if (c.qkNorm()) {
                w.require(layer(i, "self_attn.q_norm.weight"), c.headDim());
                w.require(layer(i, "self_attn.k_norm.weight"), c.headDim());
            }
            w.require(layer(i, "mlp.gate_proj.weight"), inter, d);
            w.require(layer(i, "mlp.up_proj.weight"), inter, d);
            w.require(layer(i, "mlp.down_proj.weight"), d, inter);
        }
    }
}
