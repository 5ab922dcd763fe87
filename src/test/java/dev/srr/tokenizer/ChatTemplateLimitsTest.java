package dev.srr.tokenizer;

import dev.srr.SrrException;
import dev.srr.fuzz.TinyTokenizers;
import dev.srr.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A chat template that builds without bound (a list or string doubled in a loop) gets an error naming
 * tokenizer_config.json instead of exhausting the heap, and one that loops for hours is stopped at the render
 * deadline.
 */
class ChatTemplateLimitsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {
            // a plain {% set %} inside a loop is local to one iteration in Jinja2; a namespace carries across
            "{% set ns = namespace(x=[1]) %}{% for i in range(60) %}{% set ns.x = ns.x + ns.x %}{% endfor %}{{ ns.x|length }}",
            "{% set ns = namespace(x='ab') %}{% for i in range(60) %}{% set ns.x = ns.x ~ ns.x %}{% endfor %}{{ ns.x|length }}",
            "{% set ns = namespace(x='ab') %}{% for i in range(60) %}{% set ns.x = ns.x + ns.x %}{% endfor %}{{ ns.x|length }}",
            "{% set ns = namespace(x=3) %}{% for i in range(60) %}{% set ns.x = ns.x * ns.x %}{% endfor %}{{ ns.x }}",
            "{{ 'ab' * 100000000 }}",
            "{{ [0] * 100000000 }}",
            "{{ 'x'.center(1000000000) }}",
            "{{ 7 ** 10000000 }}",
            "{{ messages|tojson(indent=22147483648) }}",
            "{{ messages|tojson(indent=40000000) }}",
            "{% set ns = namespace(x=['ab' * 30000000]) %}{% for i in range(4) %}{% set ns.x = ns.x + ns.x %}{% endfor %}{{ ns.x|tojson|length }}",
            "{% set ns = namespace(x=['ab' * 30000000]) %}{% for i in range(4) %}{% set ns.x = ns.x + ns.x %}{% endfor %}{{ ns.x|string|length }}",
    })
    void aTemplateThatGrowsWithoutBoundIsAnError(String template) throws IOException {
        SrrException e = assertThrows(SrrException.class, () -> render(template));
        assertTrue(e.getMessage().contains("tokenizer_config.json"), e.getMessage());
    }

    @Test
    void aTemplateNestedDeeperThanTheParserCanGoIsASyntaxError() throws IOException {
        String deep = "{{ " + "(".repeat(200_000) + "1" + ")".repeat(200_000) + " }}";
        SrrException e = assertThrows(SrrException.class, () -> render(deep));
        assertTrue(e.getMessage().contains("tokenizer_config.json") && e.getMessage().contains("nests too deeply"), e.getMessage());
    }

    @Test
    void aTemplateThatLoopsForHoursStopsAtTheDeadline() throws IOException {
        String before = System.getProperty(ChatTemplate.DEADLINE_PROPERTY);
        System.setProperty(ChatTemplate.DEADLINE_PROPERTY, "1");
        try {
            long start = System.nanoTime();
            SrrException e = assertThrows(SrrException.class, () -> render("{% for a in range(1000) %}{% for b in range(1000) %}"
                    + "{% for c in range(1000) %}{{ c }}{% endfor %}{% endfor %}{% endfor %}"));
            assertTrue(e.getMessage().contains("tokenizer_config.json") && e.getMessage().contains("did not finish within 1 s"),
                    e.getMessage());
            assertTrue(System.nanoTime() - start < 8_000_000_000L, "stopped late");
            // the limit is per render: an ordinary template right after renders as usual
            assertEquals("<|user|>hi", render("{% for m in messages %}<|{{ m.role }}|>{{ m.content }}{% endfor %}"));
        } finally {
            if (before == null) System.clearProperty(ChatTemplate.DEADLINE_PROPERTY);
            else System.setProperty(ChatTemplate.DEADLINE_PROPERTY, before);
        }
    }

    private String render(String template) throws IOException {
        Files.writeString(dir.resolve("tokenizer.json"), Json.write(TinyTokenizers.byteLevel()));
        Files.writeString(dir.resolve("tokenizer_config.json"), Json.write(Json.MAPPER.createObjectNode().put("chat_template", template)));
        ModelTokenizer t = ModelTokenizer.load(dir);
        return t.renderChat(Json.parse("[{\"role\": \"user\", \"content\": \"hi\"}]", "messages"), false);
    }
}
