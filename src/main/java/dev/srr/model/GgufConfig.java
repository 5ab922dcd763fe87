package dev.srr.model;

import dev.srr.SrrException;
import dev.srr.io.GgufFile;
import dev.srr.io.GgufMetadata;
import dev.srr.io.GgufTensor;
import dev.srr.tensor.GgmlType;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a {@link ModelConfig} from a GGUF file's metadata, for the architectures {@code llama}, {@code mistral},
 * {@code qwen2} and {@code qwen3}. Keys are llama.cpp's ({@code <arch>.block_count},
 * {@code <arch>.attention.head_count_kv}, {@code <arch>.rope.freq_base}, ...; llama.cpp's {@code LLM_KV_NAMES});
 * family flags come from the architecture and from the tensors present (q/k/v biases, q/k norms, a separate
 * output matrix). Every missing or out-of-range value is an error naming the file and the key.
 */
public final class GgufConfig {
    /** GGUF architectures srr runs, each the Hugging Face {@code model_type} of the same name. */
    public static final java.util.Set<String> ARCHITECTURES = java.util.Set.of("llama", "mistral", "qwen2", "qwen3");
    /** llama.cpp's tensor holding per-pair RoPE frequency divisors (llama3-style scaling). */
    public static final String ROPE_FREQS = "rope_freqs.weight";
    private static final int MAX = 1 << 24;

    private GgufConfig() {
    }

    /** The config of {@code file}; fails naming the key when a value is missing, mistyped or out of range. */
    public static ModelConfig read(GgufFile file) {
        GgufMetadata m = file.metadata();
        String arch = m.string("general.architecture");
        if (!ARCHITECTURES.contains(arch)) {
            throw new SrrException(file.path() + ": GGUF architecture '" + arch + "' is not supported (srr runs "
                    + String.join(", ", ARCHITECTURES.stream().sorted().toList()) + ")");
        }
        String p = arch + ".";
        int hidden = m.intValue(p + "embedding_length", 1, MAX);
        int layers = m.intValue(p + "block_count", 1, 1 << 16);
        int ffn = m.intValue(p + "feed_forward_length", 1, MAX);
        int heads = m.intValue(p + "attention.head_count", 1, 1 << 16);
        int kvHeads = m.optInt(p + "attention.head_count_kv", heads, 1, heads);
        if (heads % kvHeads != 0) {
            throw new SrrException(file.path() + ": metadata '" + p + "attention.head_count' " + heads
                    + " is not a multiple of '" + p + "attention.head_count_kv' " + kvHeads);
        }
        int headDim = m.optInt(p + "attention.key_length", hidden / heads, 2, MAX);
        if (!m.has(p + "attention.key_length") && hidden % heads != 0) {
            throw new SrrException(file.path() + ": '" + p + "embedding_length' " + hidden + " is not divisible by the "
                    + heads + " heads and no '" + p + "attention.key_length' is given");
        }
        int valueDim = m.optInt(p + "attention.value_length", headDim, 1, MAX);
        if (valueDim != headDim || headDim % 2 != 0) {
            throw new SrrException(file.path() + ": key length " + headDim + " and value length " + valueDim
                    + " must be equal and even (srr's attention)");
        }
        int ropeDims = m.optInt(p + "rope.dimension_count", headDim, 1, MAX);
        if (ropeDims != headDim) {
            throw new SrrException(file.path() + ": metadata '" + p + "rope.dimension_count' is " + ropeDims
                    + " but heads are " + headDim + " wide (partial rotary embeddings are not supported)");
        }
        float eps = (float) m.number(p + "attention.layer_norm_rms_epsilon");
        if (!(eps > 0 && eps < 1)) throw new SrrException(file.path() + ": metadata '" + p + "attention.layer_norm_rms_epsilon' is " + eps);
        int context = m.optInt(p + "context_length", 4096, 1, Integer.MAX_VALUE);

        GgufTensor embed = file.tensors().get("token_embd.weight");
        if (embed == null) throw new SrrException(file.path() + ": tensor 'token_embd.weight' is missing from the checkpoint");
        int vocab = m.has(p + "vocab_size") ? m.intValue(p + "vocab_size", 1, Integer.MAX_VALUE)
                : m.has("tokenizer.ggml.tokens") ? m.strings("tokenizer.ggml.tokens").size()
                : (int) Math.min(embed.shape()[0], Integer.MAX_VALUE);

        boolean tied = !file.tensors().containsKey("output.weight");
        boolean bias = file.tensors().containsKey(LayerTensor.Q_BIAS.ggufName(0));
        boolean qkNorm = arch.equals("qwen3") || file.tensors().containsKey(LayerTensor.Q_NORM.ggufName(0));
        int window = arch.equals("mistral") ? m.optInt(p + "attention.sliding_window", 0, 0, Integer.MAX_VALUE) : 0;

        ModelConfig c = new ModelConfig(arch, vocab, hidden, ffn, layers, heads, kvHeads, headDim, eps,
                rope(file, p, headDim), context, tied, bias, qkNorm, window, dominantType(file),
                m.optInt("tokenizer.ggml.bos_token_id", -1, -1, Integer.MAX_VALUE),
                m.has("tokenizer.ggml.eos_token_id") ? new int[]{m.intValue("tokenizer.ggml.eos_token_id", 0, Integer.MAX_VALUE)} : new int[0]);
        return c;
    }

    private static RopeScaling rope(GgufFile file, String p, int headDim) {
        GgufMetadata m = file.metadata();
        double theta = m.optNumber(p + "rope.freq_base", 10000.0);
        if (!(theta > 1)) throw new SrrException(file.path() + ": metadata '" + p + "rope.freq_base' is " + theta);
        String type = m.optString(p + "rope.scaling.type", "none");
        RopeScaling rope = switch (type) {
            case "none" -> RopeScaling.plain(theta);
            case "linear" -> {
                double factor = m.number(p + "rope.scaling.factor");
                if (!(factor > 0)) throw new SrrException(file.path() + ": metadata '" + p + "rope.scaling.factor' is " + factor);
                yield new RopeScaling("linear", theta, factor, 1, 4, 8192);
            }
            default -> throw new SrrException(file.path() + ": metadata '" + p + "rope.scaling.type' '" + type
                    + "' is not supported (srr implements none, linear and llama3-style rope_freqs)");
        };
        GgufTensor freqs = file.tensors().get(ROPE_FREQS);
        if (freqs == null) return rope;
        if (freqs.type() != GgmlType.F32 || freqs.shape().length != 1 || freqs.shape()[0] != headDim / 2) {
            throw new SrrException(file.path() + ": tensor '" + ROPE_FREQS + "' must be F32 of shape [" + headDim / 2
                    + "], got " + freqs.type() + " " + java.util.Arrays.toString(freqs.shape()));
        }
        float[] factors = freqs.data().toArray(dev.srr.tensor.Tensor.F32_LE);
        for (float f : factors) {
            if (!(f > 0) || Float.isInfinite(f)) throw new SrrException(file.path() + ": tensor '" + ROPE_FREQS + "' holds a factor of " + f);
        }
        return rope.withFrequencyFactors(factors);
    }

    /** The storage type of most weight values, lower case (e.g. {@code q4_1}), as the config's dtype label. */
    private static String dominantType(GgufFile file) {
        Map<GgmlType, Long> counts = new EnumMap<>(GgmlType.class);
        for (GgufTensor t : file.tensors().values()) counts.merge(t.type(), t.size(), Long::sum);
        return counts.entrySet().stream().max(Map.Entry.comparingByValue()).map(e -> e.getKey().name().toLowerCase(Locale.ROOT))
                .orElse("f32");
    }
}
