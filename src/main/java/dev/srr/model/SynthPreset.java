package dev.srr.model;

import dev.srr.SrrException;

import java.util.LinkedHashMap;
import java.util.Map;

/** Shapes of published checkpoints, for synthesized stand-ins with random weights. */
public record SynthPreset(String family, int hidden, int intermediate, int layers, int heads, int kvHeads, int headDim,
                          int vocab, boolean tied, double ropeTheta, Map<String, Object> ropeScaling, int maxPositions,
                          double rmsEps) {

    public static final Map<String, SynthPreset> ALL = new LinkedHashMap<>();

    static {
        Map<String, Object> llama31 = Map.of("rope_type", "llama3", "factor", 8.0, "low_freq_factor", 1.0,
                "high_freq_factor", 4.0, "original_max_position_embeddings", 8192);
        Map<String, Object> llama32 = Map.of("rope_type", "llama3", "factor", 32.0, "low_freq_factor", 1.0,
                "high_freq_factor", 4.0, "original_max_position_embeddings", 8192);
        ALL.put("tiny", new SynthPreset("qwen2", 64, 160, 4, 4, 2, 16, 512, true, 1e6, null, 2048, 1e-6));
        ALL.put("qwen2.5-0.5b", new SynthPreset("qwen2", 896, 4864, 24, 14, 2, 64, 151936, true, 1e6, null, 32768, 1e-6));
        ALL.put("qwen2.5-1.5b", new SynthPreset("qwen2", 1536, 8960, 28, 12, 2, 128, 151936, true, 1e6, null, 32768, 1e-6));
        ALL.put("qwen2.5-7b", new SynthPreset("qwen2", 3584, 18944, 28, 28, 4, 128, 152064, false, 1e6, null, 32768, 1e-6));
        ALL.put("qwen3-0.6b", new SynthPreset("qwen3", 1024, 3072, 28, 16, 8, 128, 151936, true, 1e6, null, 40960, 1e-6));
        ALL.put("llama-3.2-1b", new SynthPreset("llama", 2048, 8192, 16, 32, 8, 64, 128256, true, 5e5, llama32, 131072, 1e-5));
        ALL.put("llama-3.1-8b", new SynthPreset("llama", 4096, 14336, 32, 32, 8, 128, 128256, false, 5e5, llama31, 131072, 1e-5));
        ALL.put("mistral-7b", new SynthPreset("mistral", 4096, 14336, 32, 32, 8, 128, 32768, false, 1e6, null, 32768, 1e-5));
        ALL.put("vicuna-7b", new SynthPreset("llama", 4096, 11008, 32, 32, 32, 128, 32000, false, 1e4, null, 4096, 1e-5));
    }

    public static SynthPreset named(String name) {
        SynthPreset p = ALL.get(name);
        if (p == null) throw new SrrException("--like: unknown preset '" + name + "' (known: " + String.join(", ", ALL.keySet()) + ")");
        return p;
    }

    public SynthPreset withTiedEmbeddings(boolean tiedEmbeddings) {
        return new SynthPreset(family, hidden, intermediate, layers, heads, kvHeads, headDim, vocab, tiedEmbeddings, ropeTheta,
                ropeScaling, maxPositions, rmsEps);
    }

    public SynthPreset with(Integer layers, Integer hidden, Integer intermediate, Integer heads, Integer kvHeads, Integer vocab) {
        int h = hidden != null ? hidden : this.hidden;
        int nh = heads != null ? heads : this.heads;
        int hd = (hidden != null || heads != null) ? h / nh : headDim;
        return new SynthPreset(family, h, intermediate != null ? intermediate : this.intermediate,
                layers != null ? layers : this.layers, nh, kvHeads != null ? kvHeads : Math.min(this.kvHeads, nh), hd,
                vocab != null ? vocab : this.vocab, tied, ropeTheta, ropeScaling, maxPositions, rmsEps);
    }
}
