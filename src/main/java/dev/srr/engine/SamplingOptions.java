package dev.srr.engine;

import dev.srr.SrrException;

/**
 * How the next token is chosen from logits, with Hugging Face's meanings: repetition penalty on the raw
 * logits, then (unless greedy) temperature, top-k, top-p and min-p, then a draw. Neutral values: topK 0,
 * topP 1, minP 0, repetitionPenalty 1.
 */
public record SamplingOptions(boolean greedy, float temperature, int topK, float topP, float minP,
                              float repetitionPenalty) {

    public SamplingOptions {
        if (!greedy && !(temperature > 0)) {
            throw new SrrException("temperature must be greater than 0 (use greedy decoding for temperature 0), got " + temperature);
        }
        if (topK < 0) throw new SrrException("top-k must be 0 (off) or positive, got " + topK);
        if (!(topP > 0 && topP <= 1)) throw new SrrException("top-p must be in (0, 1], got " + topP);
        if (!(minP >= 0 && minP <= 1)) throw new SrrException("min-p must be in [0, 1], got " + minP);
        if (!(repetitionPenalty > 0)) throw new SrrException("repetition penalty must be greater than 0, got " + repetitionPenalty);
    }

    public static SamplingOptions greedyDecoding() {
        return new SamplingOptions(true, 1f, 0, 1f, 0f, 1f);
    }

    /** Plain sampling from the model's distribution at {@code temperature}. */
    public static SamplingOptions temperature(float temperature) {
        return new SamplingOptions(false, temperature, 0, 1f, 0f, 1f);
    }

    public SamplingOptions withTopK(int k) {
        return new SamplingOptions(greedy, temperature, k, topP, minP, repetitionPenalty);
    }

    public SamplingOptions withTopP(float p) {
        return new SamplingOptions(greedy, temperature, topK, p, minP, repetitionPenalty);
    }

    public SamplingOptions withMinP(float p) {
        return new SamplingOptions(greedy, temperature, topK, topP, p, repetitionPenalty);
    }

    public SamplingOptions withRepetitionPenalty(float penalty) {
        return new SamplingOptions(greedy, temperature, topK, topP, minP, penalty);
    }
}
