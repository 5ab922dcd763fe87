package dev.srr.tokenizer;

/** One entry of tokenizer.json's "added_tokens": text matched before the model sees the input. */
public record AddedToken(int id, String content, boolean special, boolean normalized, boolean lstrip,
                         boolean rstrip, boolean singleWord) {
}
