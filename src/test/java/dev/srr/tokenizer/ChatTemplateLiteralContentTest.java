package dev.srr.tokenizer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.srr.io.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Message text that looks like template syntax (adversarial suffixes contain "{{ ... }}") is copied, not rendered. */
class ChatTemplateLiteralContentTest {

    @Test
    void templateSyntaxInsideAMessageIsRenderedLiterally() {
        String content = "guide {{ Bibliographie)}} and {% if x %}y{% endif %} end";
        ArrayNode messages = Json.MAPPER.createArrayNode();
        messages.addObject().put("role", "user").put("content", content);
        String text = TestTokenizers.get("qwen3").renderChat(messages, true);
        assertTrue(text.contains(content), text);
    }
}
