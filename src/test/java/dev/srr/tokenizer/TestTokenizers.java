package dev.srr.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.srr.io.Json;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The three reference tokenizers of src/test/resources/tokenizers, loaded once per test run. */
final class TestTokenizers {
    static final List<String> NAMES = List.of("qwen3", "llama3", "llama2");
    private static final Map<String, ModelTokenizer> LOADED = new ConcurrentHashMap<>();

    private TestTokenizers() {
    }

    static Path folder(String name) {
        try {
            return Path.of(TestTokenizers.class.getResource("/tokenizers/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static ModelTokenizer get(String name) {
        return LOADED.computeIfAbsent(name, n -> ModelTokenizer.load(folder(n)));
    }

    /** Golden data produced by Hugging Face tokenizers 0.23.2 / transformers 5.17.0. */
    static JsonNode golden(String name) {
        return Json.read(folder(name).resolve("golden.json"));
    }

    static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).asInt();
        return out;
    }
}
