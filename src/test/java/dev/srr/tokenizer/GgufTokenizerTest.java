package dev.srr.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.srr.TestData;
import dev.srr.io.Json;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tokenizers built from GGUF metadata against independent references ({@code scripts/gen-gguf-references.py}):
 * Hugging Face {@code tokenizers} built from the same GGUF the way transformers builds it, llama.cpp's tokenizer
 * on the same file, and Jinja2 for the chat template.
 */
class GgufTokenizerTest {

    static List<JsonNode> lines(Path gz) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(gz)), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) out.add(Json.parse(line, gz.toString()));
        }
        return out;
    }

    static int[] ids(JsonNode n) {
        int[] out = new int[n.size()];
        for (int i = 0; i < out.length; i++) out[i] = n.get(i).asInt();
        return out;
    }

    @Test
    void smolLm2IdsEqualHuggingFaceAndLlamaCppOnThousandsOfStrings() throws IOException {
        ModelTokenizer tok = ModelTokenizer.load(TestData.smolLm2());
        List<JsonNode> cases = lines(TestData.resource("gguf/smollm2-tokens.jsonl.gz"));
        int hf = 0, llamaCpp = 0, llamaCppCompared = 0, transformersPlain = 0;
        List<String> failures = new ArrayList<>();
        for (JsonNode c : cases) {
            String text = c.get("text").asText();
            int[] actual = tok.encode(text, false);
            if (Arrays.equals(actual, ids(c.get("hf")))) hf++;
            else if (failures.size() < 5) failures.add(Json.write(text) + ": srr " + Arrays.toString(actual) + " hf " + c.get("hf"));
            if (Arrays.equals(actual, ids(c.get("hf_transformers")))) transformersPlain++;
            if (c.get("llama_cpp").isArray()) {
                llamaCppCompared++;
                if (Arrays.equals(actual, ids(c.get("llama_cpp")))) llamaCpp++;
            }
            assertEquals(text, tok.decode(actual, false), "decode(encode(x)) of " + Json.write(text));
        }
        System.out.printf("GgufTokenizerTest: SmolLM2 %d strings: equal to Hugging Face %d, to llama.cpp %d/%d, to transformers' "
                + "GGUF build without SmolLM's digit split %d%n", cases.size(), hf, llamaCpp, llamaCppCompared, transformersPlain);
        assertTrue(cases.size() >= 2000, "at least 2,000 strings");
        assertEquals(cases.size(), hf, "strings whose ids differ from Hugging Face's: " + failures);
        assertEquals(llamaCppCompared, llamaCpp, "strings whose ids differ from llama.cpp's");
    }

    @Test
    void smolLm2ChatTemplateRendersAsJinja2() {
        ModelTokenizer tok = ModelTokenizer.load(TestData.smolLm2());
        JsonNode cases = Json.read(TestData.resource("gguf/smollm2-chat.json"));
        for (JsonNode c : cases) {
            boolean gen = c.get("add_generation_prompt").asBoolean();
            assertEquals(c.get("text").asText(), tok.renderChat(c.get("messages"), gen), c.get("messages").toString());
            assertArrayEquals(ids(c.get("ids")), tok.encodeChat(c.get("messages"), gen));
        }
        assertEquals("<|im_start|>", tok.bosToken());
        assertEquals("<|im_end|>", tok.eosToken());
        assertArrayEquals(new int[]{2}, tok.eosIds());
    }

    @Test
    void sentencePieceStyleVocabularyWithoutMergesEqualsTransformersGgufLoading() throws IOException {
        ModelTokenizer tok = ModelTokenizer.load(TestData.resource("gguf/tokenizer-llama-spm.gguf"));
        List<JsonNode> cases = lines(TestData.resource("gguf/tokenizer-llama-spm.jsonl.gz"));
        int equal = 0;
        List<String> failures = new ArrayList<>();
        for (JsonNode c : cases) {
            String text = c.get("text").asText();
            int[] actual = tok.encode(text, false);
            if (Arrays.equals(actual, ids(c.get("ids")))) equal++;
            else if (failures.size() < 5) failures.add(Json.write(text) + ": srr " + Arrays.toString(actual) + " hf " + c.get("ids"));
            assertEquals(c.get("decoded").asText(), tok.decode(ids(c.get("ids")), false), "decode of " + Json.write(text));
        }
        System.out.printf("GgufTokenizerTest: SentencePiece-style GGUF %d/%d strings equal%n", equal, cases.size());
        assertEquals(cases.size(), equal, "strings whose ids differ: " + failures);
        assertEquals(1, tok.encode("Hello", true)[0], "llama vocabularies add BOS by default");
    }
}
