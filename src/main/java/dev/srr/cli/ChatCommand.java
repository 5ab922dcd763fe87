package dev.srr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.srr.SrrException;
import dev.srr.io.Json;
import dev.srr.tokenizer.ModelTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;

/** {@code srr chat}: renders a conversation with the model's chat template. */
@Command(name = "chat", mixinStandardHelpOptions = true,
        description = {"Render a conversation with the chat template of tokenizer_config.json, as transformers' "
                + "apply_chat_template does.",
                "PATH is a model folder, a .gguf file, or a folder/file with tokenizer.json next to tokenizer_config.json."},
        footer = {"", "conversation.json holds [{\"role\": \"user\", \"content\": \"Hi\"}, ...]",
                "(or {\"messages\": [...]}).", "", "Examples:",
                "  srr chat models/qwen3 --messages conversation.json --generation-prompt",
                "  srr chat models/llama3 --messages conversation.json --json"})
public final class ChatCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PATH", description = "Model folder, .gguf file, folder with tokenizer.json, or the file.")
    Path path;

    @Option(names = "--messages", required = true, paramLabel = "FILE",
            description = "JSON file with the conversation: a list of {role, content} objects.")
    Path messagesFile;

    @Option(names = "--generation-prompt", description = "End with the assistant header, ready for generation.")
    boolean generationPrompt;

    @Mixin
    JsonOption json;

    @Override
    public void run() {
        ModelTokenizer tokenizer = ModelTokenizer.load(path);
        JsonNode messages = Json.read(messagesFile);
        if (messages.isObject() && messages.has("messages")) messages = messages.get("messages");
        if (!messages.isArray()) {
            throw new SrrException(messagesFile + ": expected a JSON list of {\"role\", \"content\"} messages");
        }
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            if (!m.isObject() || !m.path("role").isTextual()) {
                throw new SrrException(messagesFile + ": message " + i + " needs a string \"role\"");
            }
        }
        String text = tokenizer.renderChat(messages, generationPrompt);
        PrintWriter out = spec.commandLine().getOut();
        if (!json.on) {
            out.print(text);
            out.flush();
            return;
        }
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("text", text);
        var ids = node.putArray("ids");
        for (int id : tokenizer.encode(text, false)) ids.add(id);
        out.println(Json.write(node));
    }
}
