package dev.srr.engine;

/**
 * Turns generated ids into text; implemented by the tokenizer. Generation needs it for stop strings and for
 * candidates' text; without one, runs are ids-only. Implementations should skip special tokens (an eos id
 * decodes to nothing) and decode a whole id sequence at once, since byte-level pieces of one character may
 * span several ids.
 */
@FunctionalInterface
public interface TokenTextDecoder {
    String decode(int[] ids);
}
