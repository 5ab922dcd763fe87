package dev.srr.spark;

import dev.srr.engine.GenerationOptions;
import dev.srr.engine.PromptTruncation;
import dev.srr.engine.SamplingOptions;

import java.io.Serializable;
import java.util.List;

/**
 * How the respond job samples, shipped to executors as plain fields (not the core's records, see {@link JobSettings})
 * and turned into the core's {@link GenerationOptions} there, as {@code srr respond} builds them from the same options.
 */
public final class SamplingSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    final int candidates;
    final int maxNewTokens;
    final boolean greedy;
    final float temperature;
    final int topK;
    final float topP;
    final float minP;
    final float repetitionPenalty;
    final long seed;

    /**
     * @param candidates K, candidates sampled per prompt (at least 1)
     * @param seed       seed of every prompt that names none of its own ({@code "seed"} in its line)
     * @throws IllegalArgumentException for K or max-new-tokens below 1
     */
    public SamplingSettings(int candidates, int maxNewTokens, boolean greedy, float temperature, int topK, float topP, float minP,
                            float repetitionPenalty, long seed) {
        if (candidates < 1) throw new IllegalArgumentException("--n must be at least 1, got " + candidates);
        if (maxNewTokens < 1) throw new IllegalArgumentException("--max-new-tokens must be at least 1, got " + maxNewTokens);
        this.candidates = candidates;
        this.maxNewTokens = maxNewTokens;
        this.greedy = greedy;
        this.temperature = temperature;
        this.topK = topK;
        this.topP = topP;
        this.minP = minP;
        this.repetitionPenalty = repetitionPenalty;
        this.seed = seed;
    }

    /** The core's options for one prompt sampled with {@code seed}. */
    GenerationOptions options(long seed) {
        return new GenerationOptions(candidates, maxNewTokens, new SamplingOptions(greedy, temperature, topK, topP, minP,
                repetitionPenalty), seed, List.of(), false, new int[0], PromptTruncation.ERROR);
    }
}
