package dev.srr.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.srr.SrrException;
import dev.srr.io.Json;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Year;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jinja2 features that real chat templates use (Python str methods, slicing and reversal, loop variables and
 * loop controls, namespace, is-tests, comments with whitespace control, tojson, raise_exception, bos/eos as
 * {"content": ...} objects) render exactly as real Jinja2 configured like transformers renders them. The
 * expected outputs in chat-templates/cases.json come from scripts/gen-chat-template-cases.py.
 */
class ChatTemplateFeaturesTest {

    private static JsonNode cases() {
        try {
            return Json.read(Path.of(ChatTemplateFeaturesTest.class.getResource("/chat-templates/cases.json").toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ChatTemplate template(String source) {
        ObjectNode config = Json.MAPPER.createObjectNode();
        config.put("chat_template", source);
        config.putObject("bos_token").put("content", "<s>");
        config.putObject("eos_token").put("content", "</s>");
        config.put("unk_token", "<unk>");
        return ChatTemplate.fromConfig(config, Path.of("tokenizer_config.json"), "<s>", "</s>");
    }

    @TestFactory
    Stream<DynamicTest> featuresRenderLikeJinja2() {
        List<DynamicTest> tests = new ArrayList<>();
        JsonNode all = cases().get("cases");
        for (int i = 0; i < all.size(); i++) {
            JsonNode c = all.get(i);
            String label = c.get("name").asText() + " #" + i + (c.has("error") ? " raises" : "");
            tests.add(DynamicTest.dynamicTest(label, () -> {
                ChatTemplate t = template(c.get("template").asText());
                boolean prompt = c.get("add_generation_prompt").asBoolean();
                if (c.has("error")) {
                    SrrException e = assertThrows(SrrException.class, () -> t.render(c.get("messages"), prompt));
                    assertTrue(e.getMessage().contains(c.get("error").asText()), e.getMessage());
                } else {
                    assertEquals(c.get("text").asText(), t.render(c.get("messages"), prompt));
                }
            }));
        }
        return tests.stream();
    }

    @Test
    void strftimeNowFormatsTheCurrentDate() {
        ChatTemplate t = template("{{ strftime_now('%Y') }}");
        String year = t.render(Json.parse("[]", "test"), false);
        assertTrue(year.equals(Year.now().toString()) || year.equals(Year.now().minusYears(1).toString()), year);
    }

    @Test
    void namedTemplateListPicksDefault() {
        ObjectNode config = Json.MAPPER.createObjectNode();
        var list = config.putArray("chat_template");
        list.addObject().put("name", "tool_use").put("template", "tools");
        list.addObject().put("name", "default").put("template", "{{ messages[0].content }}");
        ChatTemplate t = ChatTemplate.fromConfig(config, Path.of("tokenizer_config.json"), null, null);
        assertEquals("hi", t.render(Json.parse("[{\"role\": \"user\", \"content\": \"hi\"}]", "test"), false));
    }
}
