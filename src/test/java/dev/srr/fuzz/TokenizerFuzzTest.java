package dev.srr.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import dev.srr.tokenizer.Encoding;
import dev.srr.tokenizer.ModelTokenizer;
import dev.srr.tokenizer.StreamingDecoder;
import dev.srr.tokenizer.Tokenizer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * tokenizer.json ({@link Tokenizer}) and encoding text with it; input: tokenizer.json, NUL, text. An accepted
 * tokenizer must encode the text (with and without special tokens), and decode its own ids back, in one go
 * and streamed, without any error: every id it hands out is one it knows.
 */
class TokenizerFuzzTest {
    /**
     * Streaming decodes at most this many ids. It holds text back while it ends in U+FFFD, as Hugging Face's
     * DecodeStream does, so a long run of invalid bytes costs time and allocation quadratic in its length. 128
     * ids show that behaviour and stay well inside the allocation budget under Jazzer's instrumentation, which
     * allocates about three times what a compiled JVM does. With 256 ids, CI's run found inputs of 4 kB that
     * allocated 105 MB, all of it this bounded work.
     */
    private static final int STREAMED_IDS = 128;

    @DictionaryEntries({
            "\"type\"", "\"BPE\"", "\"NFKC\"", "\"Lowercase\"", "\"Prepend\"", "\"Replace\"", "\"Strip\"",
            "\"Sequence\"", "\"Split\"", "\"ByteLevel\"", "\"Metaspace\"", "\"Digits\"", "\"Whitespace\"",
            "\"WhitespaceSplit\"", "\"Punctuation\"", "\"TemplateProcessing\"", "\"ByteFallback\"", "\"Fuse\"",
            "\"Regex\"", "\"String\"", "\"behavior\"", "\"Isolated\"", "\"MergedWithNext\"", "\"Contiguous\"",
            "\"invert\"", "\"vocab\"", "\"merges\"", "\"added_tokens\"", "\"special_tokens\"", "\"ids\"",
            "\"single\"", "\"SpecialToken\"", "\"unk_token\"", "\"byte_fallback\"", "\"continuing_subword_prefix\"",
            "\"end_of_word_suffix\"", "\"ignore_merges\"", "\"lstrip\"", "\"rstrip\"", "\"single_word\"",
            "\"normalized\"", "\"prepend_scheme\"", "\"replacement\"", "(a+)+", "\\p{L}", "<0x41>", "0", "-1",
            "1e-300", "1e-45", "1e308", "1e999", "2147483647", "2147483648", "4294967296", "9223372036854775807",
            "18446744073709551616", "-0.0", "0.5", "null", "true", "[]", "{}"})
    @ReaderFuzzTest
    void fuzz(byte[] data) {
        ReaderProperty.check(data.length, "tokenizer.json", () -> read(data));
    }

    /** What the target does with one input; throws {@link dev.srr.SrrException} for input it refuses. */
    static void read(byte[] data) throws IOException {
        byte[][] parts = ReaderProperty.split(data, 2);
        ModelTokenizer m = ModelTokenizer.load(ReaderProperty.file("tokenizer.json", parts[0]));
        Tokenizer t = m.tokenizer();
        String text = parts[1] == null ? "" : new String(parts[1], StandardCharsets.UTF_8);
        ReaderProperty.mustSucceed(() -> {
            for (boolean special : new boolean[]{false, true}) {
                Encoding e = t.encode(text, special);
                int[] ids = e.ids();
                t.decode(ids, false);
                t.decode(ids, true);
                StreamingDecoder stream = m.streamingDecoder(special);
                for (int i = 0; i < Math.min(ids.length, STREAMED_IDS); i++) stream.push(ids[i]);
                stream.flush();
            }
        });
    }
}
