package dev.srr.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.srr.tokenizer.ChatMessage;

import java.util.List;

/**
 * One prompt with its candidate responses, as read from a lists JSONL file.
 *
 * @param prompt   the plain prompt, or null (then {@code messages} may carry the conversation)
 * @param messages the conversation when given as messages, else an empty list
 * @param source   the {@code source} field, or null
 * @param fields   the whole JSON object, for source-specific fields such as {@code prompt_label}
 * @param file     where the list was read from, and {@code line} its 1-based line number
 */
public record SafetyList(String id, String source, String prompt, List<ChatMessage> messages, List<Candidate> candidates,
                         JsonNode fields, String file, int line) {

    /** XSTest's prompt label ("safe"/"unsafe"), or null when the list has none. */
    public String promptLabel() {
        JsonNode v = fields.get("prompt_label");
        return v == null || v.isNull() ? null : v.asText();
    }

    /** The text that identifies the request: the prompt, else the user messages joined. Null if neither. */
    public String requestText() {
        if (prompt != null) return prompt;
        if (messages.isEmpty()) return null;
        StringBuilder sb = new StringBuilder();
        for (ChatMessage m : messages) {
            if ("user".equals(m.role())) sb.append(m.content()).append('\n');
        }
        return sb.isEmpty() ? null : sb.toString();
    }

    /**
     * The conversation a candidate answered: {@code attackPrompt} as the user's turn when given (the text the model
     * actually received), else the list's messages, else its prompt as the user's turn (empty when it has none).
     */
    public List<ChatMessage> request(String attackPrompt) {
        if (attackPrompt != null) return List.of(ChatMessage.user(attackPrompt));
        if (!messages.isEmpty()) return messages;
        return List.of(ChatMessage.user(prompt == null ? "" : prompt));
    }

    public Boolean[] safeLabels() {
        Boolean[] y = new Boolean[candidates.size()];
        for (int i = 0; i < y.length; i++) y[i] = candidates.get(i).safe();
        return y;
    }

    public String[] texts() {
        return candidates.stream().map(Candidate::text).toArray(String[]::new);
    }
}
