package dev.srr.engine;

/**
 * Hears every token as it is sampled, for streaming and progress. Calls come from the generating thread, in
 * sampling order; candidates are numbered 0..K-1 as requested, before de-duplication.
 */
public interface TokenListener {
    TokenListener NONE = (candidate, token, count) -> { };

    /** {@code token} is the {@code count}-th generated id of {@code candidate} (counting from 1). */
    void onToken(int candidate, int token, int count);

    /** {@code candidate} produced its last token. */
    default void onFinish(int candidate, FinishReason reason) {
    }
}
