package dev.srr.model;

import dev.srr.SrrException;
import dev.srr.tensor.DType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link ModelConfig} as the {@code config.json} and {@code generation_config.json} that transformers writes (the
 * older {@code rope_theta}/{@code rope_scaling} keys, which every transformers version and srr's
 * {@link ConfigReader} read).
 */
public final class ConfigWriter {
    private ConfigWriter() {
    }

    /**
     * @throws SrrException for settings config.json cannot express (per-pair RoPE frequency factors)
     */
    public static Map<String, Object> config(ModelConfig c, DType dtype) {
        if (c.rope().frequencyFactors() != null) {
            throw new SrrException("RoPE frequency factors (GGUF rope_freqs, llama3-style scaling) have no config.json form; "
                    + "srr runs such a file directly but cannot convert it");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("architectures", List.of(switch (c.modelType()) {
            case "qwen2" -> "Qwen2ForCausalLM";
            case "qwen3" -> "Qwen3ForCausalLM";
            case "mistral" -> "MistralForCausalLM";
            default -> "LlamaForCausalLM";
        }));
        m.put("model_type", c.modelType());
        m.put("vocab_size", c.vocabSize());
        m.put("hidden_size", c.hiddenSize());
        m.put("intermediate_size", c.intermediateSize());
        m.put("num_hidden_layers", c.numLayers());
        m.put("num_attention_heads", c.numHeads());
        m.put("num_key_value_heads", c.numKvHeads());
        m.put("head_dim", c.headDim());
        m.put("hidden_act", "silu");
        m.put("max_position_embeddings", c.maxPositions());
        // the shortest decimal that reads back as the same float (GGUF stores float32: 1e-5, not 9.99999974e-6)
        m.put("rms_norm_eps", Double.parseDouble(Float.toString(c.rmsNormEps())));
        m.put("rope_theta", c.rope().theta());
        m.put("rope_scaling", ropeScaling(c.rope()));
        m.put("tie_word_embeddings", c.tiedEmbeddings());
        if (c.modelType().equals("llama")) m.put("attention_bias", c.attentionBias());
        if (c.modelType().equals("mistral")) m.put("sliding_window", c.slidingWindow() > 0 ? c.slidingWindow() : null);
        if (c.modelType().startsWith("qwen")) m.put("use_sliding_window", false);
        if (c.bosTokenId() >= 0) m.put("bos_token_id", c.bosTokenId());
        if (c.eosTokenIds().length > 0) m.put("eos_token_id", c.eosTokenIds().length == 1 ? c.eosTokenIds()[0] : c.eosTokenIds());
        m.put("torch_dtype", switch (dtype) {
            case F32 -> "float32";
            case F16 -> "float16";
            case BF16 -> "bfloat16";
            default -> throw new IllegalArgumentException("a checkpoint folder holds float dtypes, not " + dtype);
        });
        return m;
    }

    private static Map<String, Object> ropeScaling(RopeScaling r) {
        if (r.type().equals("default")) return null;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rope_type", r.type());
        m.put("factor", r.factor());
        if (r.type().equals("llama3")) {
            m.put("low_freq_factor", r.lowFreqFactor());
            m.put("high_freq_factor", r.highFreqFactor());
            m.put("original_max_position_embeddings", r.originalMaxPositions());
        }
        return m;
    }
}
