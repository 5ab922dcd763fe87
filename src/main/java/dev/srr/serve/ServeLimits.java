package dev.srr.serve;

/**
 * The bounds a server keeps, so that no load makes it grow without limit.
 *
 * @param maxActiveSequences  candidates decoding at once, over all requests (a request takes K)
 * @param maxQueuedRequests   requests waiting for room before the server answers 429
 * @param maxBodyBytes        request bodies above this get 413
 * @param maxTokens           the largest max_tokens a request may ask for; also the default
 * @param kvBudgetBytes       KV-cache memory the admitted requests may reserve (prompt + K x max_tokens positions each)
 * @param prefillChunk        prompt tokens fed per step, so a long prompt delays running requests by one chunk per step
 * @param keepAliveMillis     how often a stream that has nothing to send yet gets an SSE comment
 */
public record ServeLimits(int maxActiveSequences, int maxQueuedRequests, long maxBodyBytes, int maxTokens, long kvBudgetBytes,
                          int prefillChunk, long keepAliveMillis) {

    public ServeLimits {
        if (maxActiveSequences < 1) throw new IllegalArgumentException("max active sequences must be at least 1");
        if (maxQueuedRequests < 0) throw new IllegalArgumentException("max queued requests must not be negative");
        if (maxBodyBytes < 1) throw new IllegalArgumentException("max body bytes must be at least 1");
        if (maxTokens < 1) throw new IllegalArgumentException("max tokens must be at least 1");
        if (kvBudgetBytes < 1) throw new IllegalArgumentException("KV budget must be at least 1 byte");
        if (prefillChunk < 1) throw new IllegalArgumentException("prefill chunk must be at least 1 token");
        if (keepAliveMillis < 1) throw new IllegalArgumentException("keep-alive interval must be at least 1 ms");
    }

    /** 64 sequences, 64 queued, 1 MiB bodies, 512 tokens, 2 GiB of KV cache, 128-token prefill chunks, 2 s keep-alive. */
    public static ServeLimits defaults() {
        return new ServeLimits(64, 64, 1 << 20, 512, 2L << 30, 128, 2000);
    }
}
