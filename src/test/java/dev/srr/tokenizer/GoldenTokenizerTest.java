package dev.srr.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every golden edge case (35 strings x 3 tokenizers) encodes and decodes exactly as Hugging Face tokenizers
 * does: ids with and without special tokens, token strings, code point offsets, and decoding with and
 * without skip_special_tokens.
 */
class GoldenTokenizerTest {

    @TestFactory
    Stream<DynamicTest> goldenCasesMatchHuggingFaceExactly() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : TestTokenizers.NAMES) {
            JsonNode cases = TestTokenizers.golden(name).get("cases");
            for (int i = 0; i < cases.size(); i++) {
                JsonNode c = cases.get(i);
                String text = c.get("text").asText();
                tests.add(DynamicTest.dynamicTest(name + " #" + i + " " + abbreviate(text), () -> check(name, c)));
            }
        }
        return tests.stream();
    }

    private static void check(String name, JsonNode c) {
        Tokenizer tok = TestTokenizers.get(name).tokenizer();
        String text = c.get("text").asText();
        Encoding plain = tok.encode(text, false);
        Encoding special = tok.encode(text, true);
        List<String> tokens = new ArrayList<>();
        c.get("tokens").forEach(t -> tokens.add(t.asText()));
        int[] ids = TestTokenizers.ints(c.get("ids"));
        int[][] offsets = new int[plain.size()][];
        for (int i = 0; i < plain.size(); i++) offsets[i] = new int[]{plain.start(i), plain.end(i)};
        int[][] expectedOffsets = new int[c.get("offsets").size()][];
        for (int i = 0; i < expectedOffsets.length; i++) expectedOffsets[i] = TestTokenizers.ints(c.get("offsets").get(i));
        int[] withSpecial = TestTokenizers.ints(c.get("ids_with_special"));
        assertAll(
                () -> assertArrayEquals(ids, plain.ids(), "ids"),
                () -> assertEquals(tokens, plain.tokens(), "tokens"),
                () -> assertArrayEquals(expectedOffsets, offsets, "offsets (code points)"),
                () -> assertArrayEquals(withSpecial, special.ids(), "ids_with_special"),
                () -> assertEquals(c.get("decoded").asText(), tok.decode(ids, false), "decoded"),
                () -> assertEquals(c.get("decoded_skip_special").asText(), tok.decode(ids, true),
                        "decoded_skip_special"));
    }

    private static String abbreviate(String s) {
        String flat = s.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
        return flat.length() > 40 ? flat.substring(0, 40) + "..." : flat;
    }
}
