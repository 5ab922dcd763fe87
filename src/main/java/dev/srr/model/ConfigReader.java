package dev.srr.model;

import dev.srr.SrrException;
import dev.srr.io.Json;
import dev.srr.io.JsonFields;

import java.nio.file.Path;
import java.util.Set;

/**
 * Reads a Hugging Face {@code config.json} into a {@link ModelConfig}. Accepts both the older keys
 * ({@code rope_theta}, {@code rope_scaling}) and the {@code rope_parameters} block that transformers 5
 * writes. Every number is checked against what it must be before anything uses it (head counts that divide,
 * sizes whose products fit, token ids inside the vocabulary, RoPE parameters the formulas can use); every
 * wrong or missing field is an {@link SrrException} naming the file and the field.
 */
public final class ConfigReader {
    public static final Set<String> FAMILIES = Set.of("llama", "qwen2", "qwen3", "mistral");
    public static final Set<String> ROPE_TYPES = Set.of("default", "linear", "llama3");
    private static final int MAX = Integer.MAX_VALUE;
    private static final double ANY = Double.MAX_VALUE;
    private static final double POSITIVE = Double.MIN_VALUE;

    private final JsonFields root;

    private ConfigReader(JsonFields root) {
        this.root = root;
    }

    /** Reads {@code config.json} and, when present beside it, bos/eos ids from {@code generation_config.json}. */
    public static ModelConfig read(Path configFile) {
        ModelConfig config = new ConfigReader(JsonFields.of(configFile, Json.read(configFile))).parse(null);
        GenerationConfig g = GenerationConfig.read(configFile.resolveSibling(GenerationConfig.FILE), config.vocabSize() - 1);
        if (g != null) {
            int[] eos = g.eosTokenIds();
            int bos = g.bosTokenId() >= 0 ? g.bosTokenId() : config.bosTokenId();
            if (eos.length > 0 || bos != config.bosTokenId()) {
                config = new ModelConfig(config.modelType(), config.vocabSize(), config.hiddenSize(),
                        config.intermediateSize(), config.numLayers(), config.numHeads(), config.numKvHeads(),
                        config.headDim(), config.rmsNormEps(), config.rope(), config.maxPositions(),
                        config.tiedEmbeddings(), config.attentionBias(), config.qkNorm(), config.slidingWindow(),
                        config.dtype(), bos, eos.length > 0 ? eos : config.eosTokenIds());
            }
        }
        return config;
    }

    /** Parses a config whose model_type may be absent (legacy tiny configs), taking {@code defaultType}. */
    public static ModelConfig read(Path configFile, String defaultType) {
        return new ConfigReader(JsonFields.of(configFile, Json.read(configFile))).parse(defaultType);
    }

    private ModelConfig parse(String defaultType) {
        String type = root.optText("model_type", defaultType);
        if (type == null) throw new SrrException(root.file() + ": missing field 'model_type'");
        if (!FAMILIES.contains(type)) {
            throw new SrrException(root.file() + ": model_type '" + type + "' is not supported (srr runs "
                    + String.join(", ", FAMILIES.stream().sorted().toList()) + ")");
        }
        int vocab = root.requiredInt("vocab_size", 1, MAX);
        int hidden = root.requiredInt("hidden_size", 1, MAX);
        int intermediate = root.requiredInt("intermediate_size", 1, MAX);
        int layers = root.requiredInt("num_hidden_layers", 1, MAX);
        int heads = root.requiredInt("num_attention_heads", 1, MAX);
        int kvHeads = root.optInt("num_key_value_heads", heads, 1, heads);
        if (heads % kvHeads != 0) {
            throw root.error("num_key_value_heads", "(" + kvHeads + ") must divide num_attention_heads (" + heads + ")");
        }
        int headDim;
        if (root.has("head_dim")) {
            headDim = root.requiredInt("head_dim", 2, MAX);
        } else {
            if (hidden % heads != 0) {
                throw new SrrException(root.file() + ": hidden_size " + hidden + " is not divisible by num_attention_heads "
                        + heads + " and no head_dim is given");
            }
            headDim = hidden / heads;
        }
        if (headDim % 2 != 0) throw root.error("head_dim", "must be even for rotary embeddings, got " + headDim);
        // q and k/v widths index flat arrays: they must fit in an int, or kernels would wrap around
        if ((long) heads * headDim > MAX) {
            throw root.error("num_attention_heads", "x head_dim (" + heads + " x " + headDim + ") is too large");
        }
        String act = root.optText("hidden_act", "silu");
        if (!act.equals("silu")) throw root.error("hidden_act", "'" + act + "' is not supported (srr runs silu)");
        if (root.optBool("mlp_bias", false)) throw root.error("mlp_bias", "true is not supported");

        boolean qwen2 = type.equals("qwen2");
        boolean attentionBias = qwen2 || root.optBool("attention_bias", false);
        int window = 0;
        if (type.equals("mistral")) {
            window = root.optInt("sliding_window", 0, 0, MAX);
        } else if (root.optBool("use_sliding_window", false)) {
            throw root.error("use_sliding_window", "true is not supported for " + type);
        }
        String dtype = root.optText("dtype", root.optText("torch_dtype", "float32"));
        int[] eos = root.intOrIntArray("eos_token_id", 0, vocab - 1);
        int maxPositions = root.optInt("max_position_embeddings", 4096, 1, MAX);
        return new ModelConfig(type, vocab, hidden, intermediate, layers, heads, kvHeads, headDim,
                (float) root.optNumber("rms_norm_eps", 1e-6, 0, ANY), rope(headDim, maxPositions), maxPositions,
                root.optBool("tie_word_embeddings", false), attentionBias, type.equals("qwen3"), window, dtype,
                root.optInt("bos_token_id", -1, 0, vocab - 1), eos);
    }

    /**
     * RoPE settings whose rotation angles (position x inverse frequency, in float32) stay finite for every position
     * the model takes: the largest inverse frequency is 1 for a base of at least 1, up to 1 / theta^((d-2)/d)
     * below that, and scaling divides it by up to the factor. A cos or sin of an infinite angle is NaN, which would
     * turn every hidden state into NaN without a word.
     */
    private RopeScaling rope(int headDim, int maxPositions) {
        RopeScaling rope = rope();
        double largest = Math.max(1.0, 1.0 / Math.pow(rope.theta(), (headDim - 2.0) / headDim))
                * Math.max(1.0, 1.0 / rope.factor());
        if (!(largest * maxPositions < Float.MAX_VALUE)) {
            String field = rope.factor() < 1 ? "factor" : "rope_theta";
            throw new SrrException(root.file() + ": RoPE " + field + " (theta " + rope.theta() + ", factor " + rope.factor()
                    + ") makes rotation angles overflow float32 before position " + maxPositions);
        }
        return rope;
    }

    private RopeScaling rope() {
        JsonFields block;
        double theta;
        if (root.has("rope_parameters")) {
            block = root.object("rope_parameters");
            theta = block.has("rope_theta") ? block.requiredNumber("rope_theta", POSITIVE, ANY)
                    : root.optNumber("rope_theta", 10000.0, POSITIVE, ANY);
        } else {
            block = root.optObject("rope_scaling");
            theta = root.optNumber("rope_theta", 10000.0, POSITIVE, ANY);
        }
        if (block == null) return RopeScaling.plain(theta);
        String typeField = block.has("rope_type") ? "rope_type" : "type";
        String type = block.optText(typeField, "default");
        if (!ROPE_TYPES.contains(type)) {
            throw block.error(typeField, "'" + type + "' is not supported (srr implements default, linear, llama3)");
        }
        if (type.equals("default")) return RopeScaling.plain(theta);
        double factor = block.requiredNumber("factor", POSITIVE, ANY);
        if (type.equals("linear")) return new RopeScaling(type, theta, factor, 1, 4, 8192);
        double low = block.optNumber("low_freq_factor", 1.0, POSITIVE, ANY);
        double high = block.optNumber("high_freq_factor", 4.0, POSITIVE, ANY);
        // llama3 blends between the two wavelengths by (x - low) / (high - low)
        if (!(high > low)) {
            throw block.error("high_freq_factor", "(" + high + ") must be greater than low_freq_factor (" + low + ")");
        }
        return new RopeScaling(type, theta, factor, low, high,
                block.optInt("original_max_position_embeddings", 8192, 1, MAX));
    }
}
