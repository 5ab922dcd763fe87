package dev.srr.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.srr.io.Json;

import java.util.List;

/** One turn of a conversation. */
public record ChatMessage(String role, String content) {

    public static ChatMessage system(String content) {
        return new ChatMessage("system", content);
    }

    public static ChatMessage user(String content) {
        return new ChatMessage("user", content);
    }

    public static ChatMessage assistant(String content) {
        return new ChatMessage("assistant", content);
    }

    static JsonNode toJson(List<ChatMessage> messages) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        for (ChatMessage m : messages) array.addObject().put("role", m.role()).put("content", m.content());
        return array;
    }
}
