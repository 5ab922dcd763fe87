package dev.srr.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Second, independent oracle: Hugging Face's Rust tokenizers through DJL's JNI binding (native library
 * bundled in the ai.djl.huggingface:tokenizers jar, extracted to ~/.djl.ai; no download). On 10,000 random
 * strings per tokenizer (fixed seed), srr must agree on ids with and without special tokens, token strings,
 * code point offsets, and decoding with and without skip_special_tokens.
 */
class DjlOracleTest {
    private static final int STRINGS = 10_000;
    private static final long SEED = 20250611L;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void offline() {
        System.setProperty("ai.djl.offline", "true");
    }

    @ParameterizedTest(name = "{0} agrees with Rust tokenizers on 10,000 random strings")
    @ValueSource(strings = {"qwen3", "llama3", "llama2"})
    void randomStringsEncodeAndDecodeLikeRustTokenizers(String name) throws IOException {
        Path json = tmp.resolve(name + ".json");
        try (InputStream in = new GZIPInputStream(
                Files.newInputStream(TestTokenizers.folder(name).resolve("tokenizer.json.gz")))) {
            Files.copy(in, json);
        }
        Tokenizer srr = TestTokenizers.get(name).tokenizer();
        List<String> mismatches = new ArrayList<>();
        int checked = 0;
        try (HuggingFaceTokenizer rust = HuggingFaceTokenizer.newInstance(json,
                Map.of("truncation", "false", "padding", "false"))) {
            RandomText random = new RandomText(SEED + name.hashCode());
            for (int i = 0; i < STRINGS; i++) {
                String text = random.next();
                String problem = compare(srr, rust, text);
                checked++;
                if (problem != null) mismatches.add("#" + i + " " + quote(text) + ": " + problem);
            }
        }
        if (!mismatches.isEmpty()) {
            System.out.println(name + ": " + mismatches.size() + " of " + checked + " strings differ; first ones:");
            mismatches.stream().limit(8).forEach(m -> System.out.println("  " + m));
        }
        assertTrue(mismatches.isEmpty(), name + ": " + mismatches.size() + " mismatches, first: "
                + mismatches.stream().findFirst().orElse(""));
    }

    private static String compare(Tokenizer srr, HuggingFaceTokenizer rust, String text) {
        Encoding mine = srr.encode(text, false);
        ai.djl.huggingface.tokenizers.Encoding theirs = rust.encode(text, false, false);
        long[] rustIds = theirs.getIds();
        int[] ids = mine.ids();
        if (!Arrays.equals(toInts(rustIds), ids)) {
            return "ids " + Arrays.toString(ids) + " vs Rust " + Arrays.toString(rustIds)
                    + " tokens " + mine.tokens() + " vs Rust " + Arrays.toString(theirs.getTokens());
        }
        if (!mine.tokens().equals(Arrays.asList(theirs.getTokens()))) {
            return "tokens " + mine.tokens() + " vs Rust " + Arrays.toString(theirs.getTokens());
        }
        CharSpan[] spans = theirs.getCharTokenSpans();
        for (int i = 0; i < ids.length; i++) {
            if (spans[i] == null) continue; // DJL reports no span for zero-width tokens
            if (spans[i].getStart() != mine.start(i) || spans[i].getEnd() != mine.end(i)) {
                return "offsets of token " + i + " " + mine.token(i) + ": [" + mine.start(i) + "," + mine.end(i)
                        + ") vs Rust [" + spans[i].getStart() + "," + spans[i].getEnd() + ")";
            }
        }
        long[] rustSpecial = rust.encode(text, true, false).getIds();
        if (!Arrays.equals(toInts(rustSpecial), srr.encode(text, true).ids())) {
            return "ids with special tokens differ: " + Arrays.toString(rustSpecial);
        }
        for (boolean skip : new boolean[]{false, true}) {
            String expected = rust.decode(rustSpecial, skip);
            String actual = srr.decode(toInts(rustSpecial), skip);
            if (!expected.equals(actual)) {
                return "decode(skip_special=" + skip + ") " + quote(actual) + " vs Rust " + quote(expected);
            }
        }
        return null;
    }

    private static int[] toInts(long[] ids) {
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) out[i] = (int) ids[i];
        return out;
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        s.codePoints().forEach(cp -> {
            if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || Character.getType(cp) == Character.FORMAT
                    || Character.isWhitespace(cp) && cp != ' ' || Character.getType(cp) == Character.NON_SPACING_MARK) {
                sb.append(String.format("\\u%04X", cp));
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return sb.append('"').toString();
    }
}
