package dev.srr.tokenizer;

import dev.srr.SrrException;
import dev.srr.fuzz.TinyTokenizers;
import dev.srr.io.Json;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A chat template that builds without bound (a list or string doubled in a loop) gets an error naming
 * tokenizer_config.json instead of exhausting the heap. (A template that loops for too long is stopped by the render
 * deadline; the fuzz targets' regression input {@code regression-nested-loops} shows it.)
 */
class ChatTemplateLimitsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {
            "{% set x = [1] %}{% for i in range(60) %}{% set x = x + x %}{% endfor %}{{ x|length }}",
            "{% set x = 'ab' %}{% for i in range(60) %}{% set x = x ~ x %}{% endfor %}{{ x|length }}",
    })
    void aTemplateThatGrowsWithoutBoundIsAnError(String template) throws IOException {
        Files.writeString(dir.resolve("tokenizer.json"), Json.write(TinyTokenizers.byteLevel()));
        Files.writeString(dir.resolve("tokenizer_config.json"), Json.write(Json.MAPPER.createObjectNode().put("chat_template", template)));
        ModelTokenizer t = ModelTokenizer.load(dir);
        var messages = Json.parse("[{\"role\": \"user\", \"content\": \"hi\"}]", "messages");
        SrrException e = assertThrows(SrrException.class, () -> t.renderChat(messages, true));
        assertTrue(e.getMessage().contains("tokenizer_config.json"), e.getMessage());
    }
}
