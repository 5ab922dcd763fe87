package dev.srr.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.srr.SrrException;
import dev.srr.io.Json;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads a Hugging Face {@code config.json} into a {@link ModelConfig}. Accepts both the older keys
 * ({@code rope_theta}, {@code rope_scaling}) and the {@code rope_parameters} block that transformers 5
 * writes. Every wrong or missing field is reported with the file and the field name.
 */
public final class ConfigReader {
    public static final Set<String> FAMILIES = Set.of("llama", "qwen2", "qwen3", "mistral");
    public static final Set<String> ROPE_TYPES = Set.of("default", "linear", "llama3");

    private final Path file;
    private final JsonNode root;

    private ConfigReader(Path file, JsonNode root) {
        this.file = file;
        this.root = root;
    }

    /** Reads {@code config.json} and, when present beside it, eos ids from {@code generation_config.json}. */
    public static ModelConfig read(Path configFile) {
        JsonNode root = Json.read(configFile);
        if (!root.isObject()) throw new SrrException(configFile + ": expected a JSON object");
        ModelConfig config = new ConfigReader(configFile, root).parse(null);
        Path gen = configFile.resolveSibling("generation_config.json");
        if (Files.isRegularFile(gen)) {
            JsonNode g = Json.read(gen);
            int[] eos = new ConfigReader(gen, g).idList("eos_token_id");
            int bos = new ConfigReader(gen, g).optInt("bos_token_id", config.bosTokenId());
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
        JsonNode root = Json.read(configFile);
        if (!root.isObject()) throw new SrrException(configFile + ": expected a JSON object");
        return new ConfigReader(configFile, root).parse(defaultType);
    }

    private ModelConfig parse(String defaultType) {
        String type = optText("model_type", defaultType);
        if (type == null) throw new SrrException(file + ": missing field 'model_type'");
        if (!FAMILIES.contains(type)) {
            throw new SrrException(file + ": model_type '" + type + "' is not supported (srr runs " + String.join(", ", FAMILIES.stream().sorted().toList()) + ")");
        }
        int hidden = reqInt("hidden_size");
        int heads = reqInt("num_attention_heads");
        int kvHeads = optInt("num_key_value_heads", heads);
        int layers = reqInt("num_hidden_layers");
        int headDim = optInt("head_dim", 0);
        if (headDim == 0) {
            if (hidden % heads != 0) throw new SrrException(file + ": hidden_size " + hidden + " is not divisible by num_attention_heads " + heads + " and no head_dim is given");
            headDim = hidden / heads;
        }
        if (heads % kvHeads != 0) throw new SrrException(file + ": num_attention_heads " + heads + " is not a multiple of num_key_value_heads " + kvHeads);
        if (headDim % 2 != 0) throw new SrrException(file + ": head_dim " + headDim + " must be even for rotary embeddings");
        for (String f : new String[]{"hidden_size", "num_attention_heads", "num_hidden_layers", "vocab_size", "intermediate_size"}) {
            if (reqInt(f) <= 0) throw new SrrException(file + ": field '" + f + "' must be positive");
        }
        String act = optText("hidden_act", "silu");
        if (!act.equals("silu")) throw new SrrException(file + ": hidden_act '" + act + "' is not supported (srr runs silu)");
        if (optBool("mlp_bias", false)) throw new SrrException(file + ": mlp_bias true is not supported");

        boolean qwen2 = type.equals("qwen2");
        boolean attentionBias = qwen2 || optBool("attention_bias", false);
        int window = 0;
        if (type.equals("mistral")) {
            window = optInt("sliding_window", 0);
        } else if (optBool("use_sliding_window", false)) {
            throw new SrrException(file + ": use_sliding_window true is not supported for " + type);
        }
        String dtype = optText("dtype", optText("torch_dtype", "float32"));
        int[] eos = idList("eos_token_id");
        return new ModelConfig(type, reqInt("vocab_size"), hidden, reqInt("intermediate_size"), layers, heads, kvHeads,
                headDim, (float) optDouble("rms_norm_eps", 1e-6), rope(), optInt("max_position_embeddings", 4096),
                optBool("tie_word_embeddings", false), attentionBias, type.equals("qwen3"), window, dtype,
                optInt("bos_token_id", -1), eos);
    }

    private RopeScaling rope() {
        JsonNode params = root.get("rope_parameters");
        String where;
        JsonNode block;
        double theta;
        if (params != null && !params.isNull()) {
            if (!params.isObject()) throw new SrrException(file + ": field 'rope_parameters' must be an object");
            where = "rope_parameters";
            block = params;
            theta = number(params, "rope_parameters.rope_theta", optDouble("rope_theta", 10000.0));
        } else {
            where = "rope_scaling";
            block = root.get("rope_scaling");
            if (block != null && !block.isNull() && !block.isObject()) throw new SrrException(file + ": field 'rope_scaling' must be an object or null");
            theta = optDouble("rope_theta", 10000.0);
        }
        if (block == null || block.isNull()) return RopeScaling.plain(theta);
        JsonNode typeNode = block.has("rope_type") ? block.get("rope_type") : block.get("type");
        String type = typeNode == null || typeNode.isNull() ? "default" : typeNode.asText();
        if (!ROPE_TYPES.contains(type)) {
            throw new SrrException(file + ": " + where + " type '" + type + "' is not supported (srr implements default, linear, llama3)");
        }
        double factor = number(block, where + ".factor", 1.0);
        if (!type.equals("default") && !block.has("factor")) throw new SrrException(file + ": " + where + " of type " + type + " needs 'factor'");
        return new RopeScaling(type, theta, factor, number(block, where + ".low_freq_factor", 1.0),
                number(block, where + ".high_freq_factor", 4.0),
                (int) number(block, where + ".original_max_position_embeddings", 8192));
    }

    private double number(JsonNode block, String field, double dflt) {
        String key = field.substring(field.indexOf('.') + 1);
        JsonNode v = block.get(key);
        if (v == null || v.isNull()) return dflt;
        if (!v.isNumber()) throw new SrrException(file + ": field '" + field + "' must be a number, got " + v.getNodeType().name().toLowerCase());
        return v.asDouble();
    }

    private int reqInt(String field) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) throw new SrrException(file + ": missing field '" + field + "'");
        return intValue(v, field);
    }

    private int optInt(String field, int dflt) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) return dflt;
        return intValue(v, field);
    }

    private int intValue(JsonNode v, String field) {
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new SrrException(file + ": field '" + field + "' must be an integer, got " + describe(v));
        }
        return v.asInt();
    }

    private double optDouble(String field, double dflt) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) return dflt;
        if (!v.isNumber()) throw new SrrException(file + ": field '" + field + "' must be a number, got " + describe(v));
        return v.asDouble();
    }

    private boolean optBool(String field, boolean dflt) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) return dflt;
        if (!v.isBoolean()) throw new SrrException(file + ": field '" + field + "' must be true or false, got " + describe(v));
        return v.asBoolean();
    }

    private String optText(String field, String dflt) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) return dflt;
        if (!v.isTextual()) throw new SrrException(file + ": field '" + field + "' must be a string, got " + describe(v));
        return v.asText();
    }

    /** An id field that may be absent, one integer, or a list of integers. */
    private int[] idList(String field) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) return new int[0];
        if (v.isArray()) {
            List<Integer> ids = new ArrayList<>();
            for (JsonNode e : v) ids.add(intValue(e, field));
            return ids.stream().mapToInt(Integer::intValue).toArray();
        }
        return new int[]{intValue(v, field)};
    }

    private static String describe(JsonNode v) {
        String s = v.toString();
        return v.getNodeType().name().toLowerCase() + " " + (s.length() > 40 ? s.substring(0, 40) + "..." : s);
    }
}
