package dev.srr.tokenizer;

import java.util.Arrays;

/**
 * Decodes ids one at a time for streaming output. Text is only released once it is final: a multi-byte
 * UTF-8 character split over several tokens is held back until its last byte arrives, and decoders that
 * treat the first token specially (Strip, Metaspace) see the same context as a full decode.
 *
 * <p>It keeps a short window of ids: the ids that produced the already released text ({@code prefix}) plus
 * the newer ones, and releases the part of the window's decoding that extends the prefix.
 */
public final class StreamingDecoder {
    private final Tokenizer tokenizer;
    private final boolean skipSpecialTokens;
    private int[] window = new int[16];
    private int size;
    private int prefixIds;
    private String prefix = "";

    StreamingDecoder(Tokenizer tokenizer, boolean skipSpecialTokens) {
        this.tokenizer = tokenizer;
        this.skipSpecialTokens = skipSpecialTokens;
    }

    /** Adds one id; returns the newly completed text (empty if nothing is complete yet). */
    public String push(int id) {
        if (size == window.length) window = Arrays.copyOf(window, size * 2);
        window[size++] = id;
        String text = tokenizer.decode(Arrays.copyOf(window, size), skipSpecialTokens);
        if (text.length() <= prefix.length() || text.endsWith("\uFFFD") || !text.startsWith(prefix)) {
            return "";
        }
        String fresh = text.substring(prefix.length());
        // Keep the ids since the last release as context for the next step.
        System.arraycopy(window, prefixIds, window, 0, size - prefixIds);
        size -= prefixIds;
        prefixIds = size;
        prefix = tokenizer.decode(Arrays.copyOf(window, size), skipSpecialTokens);
        return fresh;
    }

    /** Releases whatever is held back (incomplete characters come out as U+FFFD). */
    public String flush() {
        String text = tokenizer.decode(Arrays.copyOf(window, size), skipSpecialTokens);
        String rest = text.startsWith(prefix) ? text.substring(prefix.length()) : "";
        size = 0;
        prefixIds = 0;
        prefix = "";
        return rest;
    }
}
