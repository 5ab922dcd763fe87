package dev.srr.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.srr.SrrException;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Chat templates render byte for byte like transformers' apply_chat_template (text and ids), with and
 * without the generation prompt; a tokenizer without a chat_template (llama2) is refused with a clear error,
 * as transformers refuses it.
 */
class GoldenChatTemplateTest {

    @TestFactory
    Stream<DynamicTest> chatTemplatesRenderLikeTransformers() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : TestTokenizers.NAMES) {
            JsonNode chats = TestTokenizers.golden(name).get("chat");
            for (int i = 0; i < chats.size(); i++) {
                JsonNode c = chats.get(i);
                boolean prompt = c.get("add_generation_prompt").asBoolean();
                String label = name + " conversation " + i + (prompt ? " with" : " without") + " generation prompt"
                        + (c.has("error") ? " is refused" : "");
                tests.add(DynamicTest.dynamicTest(label, () -> check(name, c)));
            }
        }
        return tests.stream();
    }

    private static void check(String name, JsonNode c) {
        ModelTokenizer tok = TestTokenizers.get(name);
        JsonNode messages = c.get("messages");
        boolean prompt = c.get("add_generation_prompt").asBoolean();
        if (c.has("error")) {
            SrrException e = assertThrows(SrrException.class, () -> tok.renderChat(messages, prompt));
            assertTrue(e.getMessage().contains("chat_template"), e.getMessage());
            return;
        }
        assertEquals(c.get("text").asText(), tok.renderChat(messages, prompt), "text");
        assertArrayEquals(TestTokenizers.ints(c.get("ids")), tok.encodeChat(messages, prompt), "ids");
    }
}
