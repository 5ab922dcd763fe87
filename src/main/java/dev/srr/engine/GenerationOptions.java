package dev.srr.engine;

import dev.srr.SrrException;

import java.util.List;

/**
 * One generation request apart from the prompt: how many candidates, how long, how tokens are chosen,
 * the seed that makes a run reproducible, when to stop, and what to do with a prompt too long for the context.
 */
public record GenerationOptions(int candidates, int maxNewTokens, SamplingOptions sampling, long seed,
                                List<String> stopStrings, boolean ignoreEos, int[] extraEosIds, PromptTruncation truncation) {

    /**
     * The most candidates one prompt may ask for. Far above what ranking needs (the paper samples 8 to 16), and
     * low enough that a typing slip (10000 for 100) is an error up front, not minutes of decoding ending out of memory.
     */
    public static final int MAX_CANDIDATES = 1024;

    public GenerationOptions {
        if (candidates < 1 || candidates > MAX_CANDIDATES) {
            throw new SrrException("the number of candidates must be in 1.." + MAX_CANDIDATES + ", got " + candidates);
        }
        if (maxNewTokens < 1) throw new SrrException("max_new_tokens must be at least 1, got " + maxNewTokens);
        stopStrings = List.copyOf(stopStrings);
        extraEosIds = extraEosIds.clone();
        for (String s : stopStrings) if (s.isEmpty()) throw new SrrException("a stop string must not be empty");
    }

    /** K candidates of at most {@code maxNewTokens} under {@code sampling}, seed 0, stopping at eos only. */
    public static GenerationOptions of(int candidates, int maxNewTokens, SamplingOptions sampling) {
        return new GenerationOptions(candidates, maxNewTokens, sampling, 0L, List.of(), false, new int[0], PromptTruncation.ERROR);
    }

    /**
     * The ids that end a candidate of this request: the model config's eos ids and the request's extra ones (a
     * {@link Generator#of generator with a tokenizer} adds the tokenizer's too).
     */
    public int[] eosIds(dev.srr.model.ModelConfig config) {
        return java.util.stream.IntStream.concat(java.util.Arrays.stream(config.eosTokenIds()), java.util.Arrays.stream(extraEosIds))
                .distinct().toArray();
    }

    public GenerationOptions withExtraEosIds(int... ids) {
        return new GenerationOptions(candidates, maxNewTokens, sampling, seed, stopStrings, ignoreEos, ids, truncation);
    }

    public GenerationOptions withSeed(long s) {
        return new GenerationOptions(candidates, maxNewTokens, sampling, s, stopStrings, ignoreEos, extraEosIds, truncation);
    }

    public GenerationOptions withStopStrings(List<String> stops) {
        return new GenerationOptions(candidates, maxNewTokens, sampling, seed, stops, ignoreEos, extraEosIds, truncation);
    }

    public GenerationOptions withIgnoreEos(boolean ignore) {
        return new GenerationOptions(candidates, maxNewTokens, sampling, seed, stopStrings, ignore, extraEosIds, truncation);
    }

    public GenerationOptions withTruncation(PromptTruncation t) {
        return new GenerationOptions(candidates, maxNewTokens, sampling, seed, stopStrings, ignoreEos, extraEosIds, t);
    }

    public GenerationOptions withCandidates(int k) {
        return new GenerationOptions(k, maxNewTokens, sampling, seed, stopStrings, ignoreEos, extraEosIds, truncation);
    }
}
