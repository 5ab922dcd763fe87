package dev.srr.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.srr.SrrException;
import dev.srr.io.Json;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The right values of shared/bugs 15 (lstrip_blocks stripped spaces before a tag in the middle of a line and
 * ignored "{%+") and 16 (numbers printed the Java way in tojson and {{ }}), from Jinja2 3.1.6 configured like
 * transformers (scripts/render_jinja2.py render). The bug folders' inputs are copied under
 * chat-templates/bugs.
 */
class ChatTemplateBugReportsTest {

    private static Path bug(String name) {
        try {
            return Path.of(ChatTemplateBugReportsTest.class.getResource("/chat-templates/bugs/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String render(String template) {
        ObjectNode config = Json.MAPPER.createObjectNode();
        config.put("chat_template", template);
        return ChatTemplate.fromConfig(config, Path.of("tokenizer_config.json"), null, null)
                .render(Json.parse("[{\"role\": \"user\", \"content\": \"Hi\"}]", "test"), false);
    }

    @Test
    void lstripBlocksKeepsSpacesBeforeATagInTheMiddleOfALine() {
        Path folder = bug("15-jinja-lstrip-blocks-midline");
        JsonNode messages = Json.read(folder.resolve("messages.json"));
        assertEquals("<|im_start|>user asks: Hi<|im_end|>\n<|im_start|>assistant says:",
                ModelTokenizer.load(folder).renderChat(messages, true));
        assertEquals("A B", render("A {% if true %}B{% endif %}"));
        assertEquals("A\nB", render("A\n   {% if true %}B{% endif %}"));
    }

    @Test
    void plusBeforeABlockTagKeepsTheSpacesLstripBlocksWouldStrip() {
        assertEquals("A B", render("A {%+ if true %}B{% endif %}"));
        assertEquals("A\n   B", render("A\n   {%+ if true %}B{% endif %}"));
    }

    @Test
    void toolCallArgumentsPrintAsJsonDumpsPrintsThem() {
        Path folder = bug("16-tojson-float-format");
        String text = ModelTokenizer.load(folder).renderChat(Json.read(folder.resolve("messages.json")), false);
        assertTrue(text.contains("{\"name\": \"solve\", \"arguments\": {\"tolerance\": 0.0001, \"max_value\": 1e+16, "
                + "\"offset\": -0.0}}"), text);
        assertEquals("1e-05 1e+20", render("{{ 1e-05|tojson }} {{ 1e20|tojson }}"));
    }

    @Test
    void printedNumbersArePythonStr() {
        assertEquals("0.0001", render("{{ 0.0001 }}"));
        assertEquals("{'a': 10000000.0, 'b': 123456789.0}", render("{{ {'a': 1e7, 'b': 123456789.0} }}"));
        assertEquals("-0.0 1e+16 3.0 2.5 3 None True", render("{{ -0.0 }} {{ 1e16 }} {{ 3.0 }} {{ 10/4 }} {{ 7//2 }} {{ none }} {{ true }}"));
    }

    @Test
    void aTemplateThatRaisesIsAnErrorNamingTheFileAndField() {
        SrrException e = assertThrows(SrrException.class, () -> render("{{ raise_exception('roles must alternate') }}"));
        assertEquals("tokenizer_config.json: chat_template raised: roles must alternate", e.getMessage());
        e = assertThrows(SrrException.class, () -> render("{% for %}"));
        assertTrue(e.getMessage().startsWith("tokenizer_config.json: chat_template has a syntax error at line 1: "), e.getMessage());
        e = assertThrows(SrrException.class, () -> render("{{ messages[5].content }}"));
        assertEquals("tokenizer_config.json: chat_template failed: list object has no element 5", e.getMessage());
    }
}
