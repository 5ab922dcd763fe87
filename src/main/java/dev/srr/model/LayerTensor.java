package dev.srr.model;

import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * The tensors of one decoder layer, the one place that names them: the Hugging Face name (what the layer plan,
 * the checks and the synthesizer use), llama.cpp's GGUF name, the shape, and whether a config has the tensor at
 * all (q/k/v biases for Qwen2, per-head q/k norms for Qwen3).
 *
 * <p>Shapes are row-major {@code [out, in]} for projections, as in safetensors and {@code nn.Linear.weight}.
 * GGUF names: llama.cpp's {@code LLM_TENSOR_NAMES} ({@code blk.N.attn_q.weight} and so on).
 */
public enum LayerTensor {
    INPUT_LAYERNORM("input_layernorm.weight", "attn_norm.weight", c -> c.hiddenSize(), -1, c -> true),
    Q_PROJ("self_attn.q_proj.weight", "attn_q.weight", ModelConfig::qDim, Dim.HIDDEN, c -> true),
    K_PROJ("self_attn.k_proj.weight", "attn_k.weight", ModelConfig::kvDim, Dim.HIDDEN, c -> true),
    V_PROJ("self_attn.v_proj.weight", "attn_v.weight", ModelConfig::kvDim, Dim.HIDDEN, c -> true),
    Q_BIAS("self_attn.q_proj.bias", "attn_q.bias", ModelConfig::qDim, -1, ModelConfig::attentionBias),
    K_BIAS("self_attn.k_proj.bias", "attn_k.bias", ModelConfig::kvDim, -1, ModelConfig::attentionBias),
    V_BIAS("self_attn.v_proj.bias", "attn_v.bias", ModelConfig::kvDim, -1, ModelConfig::attentionBias),
    Q_NORM("self_attn.q_norm.weight", "attn_q_norm.weight", ModelConfig::headDim, -1, ModelConfig::qkNorm),
    K_NORM("self_attn.k_norm.weight", "attn_k_norm.weight", ModelConfig::headDim, -1, ModelConfig::qkNorm),
    O_PROJ("self_attn.o_proj.weight", "attn_output.weight", c -> c.hiddenSize(), Dim.Q, c -> true),
    POST_ATTENTION_LAYERNORM("post_attention_layernorm.weight", "ffn_norm.weight", c -> c.hiddenSize(), -1, c -> true),
    GATE_PROJ("mlp.gate_proj.weight", "ffn_gate.weight", c -> c.intermediateSize(), Dim.HIDDEN, c -> true),
    UP_PROJ("mlp.up_proj.weight", "ffn_up.weight", c -> c.intermediateSize(), Dim.HIDDEN, c -> true),
    DOWN_PROJ("mlp.down_proj.weight", "ffn_down.weight", c -> c.hiddenSize(), Dim.INTERMEDIATE, c -> true);

    /** Codes for a projection's input width (the second dimension); -1 marks a vector. */
    private static final class Dim {
        static final int HIDDEN = 0, Q = 1, INTERMEDIATE = 2;
    }

    private final String hfSuffix;
    private final String ggufSuffix;
    private final ToLongFunction<ModelConfig> rows;
    private final int columns;
    private final Predicate<ModelConfig> present;

    LayerTensor(String hfSuffix, String ggufSuffix, ToLongFunction<ModelConfig> rows, int columns, Predicate<ModelConfig> present) {
        this.hfSuffix = hfSuffix;
        this.ggufSuffix = ggufSuffix;
        this.rows = rows;
        this.columns = columns;
        this.present = present;
    }

    /** The Hugging Face name in layer {@code layer}, e.g. {@code model.layers.3.self_attn.q_proj.weight}. */
    public String name(int layer) {
        return "model.layers." + layer + "." + hfSuffix;
    }

    /** The GGUF name in layer {@code layer}, e.g. {@code blk.3.attn_q.weight}. */
    public String ggufName(int layer) {
        return "blk." + layer + "." + ggufSuffix;
    }

    /** Whether a model with config {@code c} has this tensor. */
    public boolean presentIn(ModelConfig c) {
        return present.test(c);
    }

    /** The tensor's shape under config {@code c}: {@code [rows]} for vectors, {@code [rows, columns]} for projections. */
    public long[] shape(ModelConfig c) {
        long r = rows.applyAsLong(c);
        return switch (columns) {
            case Dim.HIDDEN -> new long[]{r, c.hiddenSize()};
            case Dim.Q -> new long[]{r, c.qDim()};
            case Dim.INTERMEDIATE -> new long[]{r, c.intermediateSize()};
            default -> new long[]{r};
        };
    }
}
