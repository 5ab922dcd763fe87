package dev.srr.engine;

/**
 * Timings of one generation. Each candidate's first token comes from the prefill; {@code decodeTokens} are
 * the tokens sampled in decode steps, so rates measure the batched decode alone. {@code decodeCpuNanos} is the
 * process CPU time the decode took (-1 if unknown): on a shared machine it shows the work when wall time
 * mostly shows the neighbours.
 */
public record GenerationStats(int candidates, int promptTokens, long prefillNanos, long decodeNanos, long decodeCpuNanos,
                              int decodeSteps, int generatedTokens, int decodeTokens) {

    /** Tokens per second over all candidates together. */
    public double decodeTokensPerSecond() {
        return decodeNanos == 0 ? 0 : decodeTokens * 1e9 / decodeNanos;
    }

    /** The aggregate rate shared out over the candidates. */
    public double perCandidateTokensPerSecond() {
        return decodeTokensPerSecond() / candidates;
    }

    /** Decode tokens per second of process CPU time, all threads together; 0 if unknown. */
    public double decodeTokensPerCpuSecond() {
        return decodeCpuNanos <= 0 ? 0 : decodeTokens * 1e9 / decodeCpuNanos;
    }

    public double prefillTokensPerSecond() {
        return prefillNanos == 0 ? 0 : promptTokens * 1e9 / prefillNanos;
    }
}
