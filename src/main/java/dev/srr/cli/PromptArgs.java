package dev.srr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.srr.SrrException;
import dev.srr.io.Json;
import dev.srr.tokenizer.ChatMessage;
import dev.srr.tokenizer.ModelTokenizer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

/** The prompt options shared by {@code generate} and {@code respond}: ids, text or a messages file. */
public final class PromptArgs {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static final class Input {
        @Option(names = "--ids", description = "Prompt token ids, comma-separated.")
        String ids;

        @Option(names = "--prompt", description = "Prompt text, as a user message in the chat template unless --raw (needs tokenizer.json).")
        String prompt;

        @Option(names = "--messages", paramLabel = "FILE", description = "JSON list of {role, content} chat messages (needs tokenizer.json).")
        Path messages;
    }

    @Option(names = "--raw", description = "With --prompt: tokenize the text as is, without the chat template.")
    boolean raw;

    /**
     * The prompt's ids. Text goes through {@link ModelTokenizer#promptIds}, as the feature extractor formats
     * prompts (so generated candidates and training features see the same prompt), or as is with --raw.
     */
    int[] ids(Path model, ModelTokenizer tokenizer) {
        if (input.ids != null) return Ids.parse(input.ids, "--ids");
        String option = input.prompt != null ? "--prompt" : "--messages";
        if (tokenizer == null) {
            throw new SrrException(model + " has no tokenizer.json, which " + option + " needs; pass token ids with --ids");
        }
        if (input.prompt != null && raw) return tokenizer.encode(input.prompt, true);
        return input.prompt != null ? tokenizer.promptIds(List.of(ChatMessage.user(input.prompt)))
                : tokenizer.promptIds(readMessages(input.messages));
    }

    /** A JSON list of {role, content} messages, or {"messages": [...]}, as srr chat reads it. */
    static ArrayNode readMessages(Path file) {
        JsonNode node = Json.read(file);
        if (node.isObject() && node.has("messages")) node = node.get("messages");
        if (!(node instanceof ArrayNode messages) || messages.isEmpty()) {
            throw new SrrException(file + ": expected a non-empty JSON list of {\"role\", \"content\"} messages");
        }
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            if (!m.isObject() || !m.path("role").isTextual() || !m.path("content").isTextual()) {
                throw new SrrException(file + ": message " + i + " needs a string \"role\" and \"content\"");
            }
        }
        return messages;
    }

    /** The model's tokenizer, or null: runs without one are ids-only (no text, no stop strings). */
    static ModelTokenizer tokenizerOf(Path model) {
        return ModelTokenizer.presentIn(model) ? ModelTokenizer.load(model) : null;
    }
}
