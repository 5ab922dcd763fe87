package dev.srr.features;

import dev.srr.SrrException;

/** How a candidate is encoded for its feature vector. */
public enum EncodeMode {
    /** As the assistant's answer after the chat-formatted prompt (the prompt's KV cache is shared). */
    CONTINUATION,
    /** On its own, without the prompt. */
    STANDALONE;

    public static EncodeMode parse(String s) {
        return switch (s) {
            case "continuation" -> CONTINUATION;
            case "standalone" -> STANDALONE;
            default -> throw new SrrException("unknown --encode '" + s + "' (use continuation or standalone)");
        };
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
