package dev.srr.engine;

import java.util.Locale;

/** Why a candidate stopped growing. */
public enum FinishReason {
    /** It sampled one of the model's end-of-sequence ids (kept as its last id). */
    EOS,
    /** Its decoded text came to contain one of the stop strings. */
    STOP,
    /** It reached max_new_tokens. */
    LENGTH;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
