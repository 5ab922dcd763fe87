package dev.srr.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.srr.SrrException;
import dev.srr.io.GgufFile;
import dev.srr.io.Json;
import dev.srr.io.JsonFields;
import dev.srr.model.GenerationConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Everything about text that a model defines: the tokenizer (tokenizer.json), the special tokens and chat template
 * (tokenizer_config.json) and the end-of-sequence ids (generation_config.json), from a model folder or from a GGUF
 * file's metadata ({@link GgufTokenizerFiles}).
 */
public final class ModelTokenizer {
    private final Path folder;
    private final Path configFile;
    private final Tokenizer tokenizer;
    private final String bosToken;
    private final String eosToken;
    private final int[] eosIds;
    private final ChatTemplate chatTemplate;

    private ModelTokenizer(Path folder, Tokenizer tokenizer, JsonNode config, Path configFile, GenerationConfig generation) {
        this.folder = folder;
        this.configFile = configFile;
        this.tokenizer = tokenizer;
        this.bosToken = tokenText(config, "bos_token", configFile);
        this.eosToken = tokenText(config, "eos_token", configFile);
        Set<Integer> eos = new LinkedHashSet<>();
        if (generation != null) {
            for (int id : generation.eosTokenIds()) eos.add(id);
        }
        if (eosToken != null && tokenizer.tokenToId(eosToken) >= 0) eos.add(tokenizer.tokenToId(eosToken));
        this.eosIds = eos.stream().mapToInt(Integer::intValue).toArray();
        this.chatTemplate = ChatTemplate.fromConfig(config, configFile, bosToken, eosToken);
    }

    /**
     * Loads from a model folder, a folder holding tokenizer.json, the tokenizer.json file itself, or a GGUF file.
     * tokenizer_config.json and generation_config.json are read from the same folder when present.
     */
    public static ModelTokenizer load(Path path) {
        if (GgufFile.looksLikeGguf(path)) {
            GgufTokenizerFiles files;
            try (GgufFile gguf = GgufFile.open(path)) {
                files = GgufTokenizerFiles.from(gguf.metadata());
            }
            Tokenizer tokenizer = Tokenizer.fromJson(files.tokenizerJson(), path + " (tokenizer metadata)");
            return new ModelTokenizer(path, tokenizer, files.tokenizerConfig(), path,
                    GenerationConfig.of(JsonFields.of(path + " (generation metadata)", files.generationConfig()), Integer.MAX_VALUE));
        }
        Path folder;
        Path tokenizerFile;
        if (Files.isDirectory(path)) {
            folder = path;
            tokenizerFile = path.resolve("tokenizer.json");
            if (!Files.exists(tokenizerFile) && Files.exists(path.resolve("tokenizer.json.gz"))) {
                tokenizerFile = path.resolve("tokenizer.json.gz");
            }
            if (!Files.exists(tokenizerFile)) throw new SrrException(path + ": no tokenizer.json in this folder");
        } else if (Files.exists(path)) {
            tokenizerFile = path;
            folder = path.toAbsolutePath().getParent();
        } else {
            throw new SrrException(path + ": file not found");
        }
        Tokenizer tokenizer = Tokenizer.load(tokenizerFile);
        Path configFile = folder.resolve("tokenizer_config.json");
        JsonNode config = Files.exists(configFile) ? JsonFields.of(configFile, Json.read(configFile)).node()
                : Json.MAPPER.createObjectNode();
        return new ModelTokenizer(folder, tokenizer, config, configFile,
                GenerationConfig.read(folder.resolve(GenerationConfig.FILE), Integer.MAX_VALUE));
    }

    /** Whether {@code model} (a model folder or GGUF file) carries a tokenizer that {@link #load} reads. */
    public static boolean presentIn(Path model) {
        return GgufFile.looksLikeGguf(model) || Files.exists(model.resolve("tokenizer.json"))
                || Files.exists(model.resolve("tokenizer.json.gz"));
    }

    /** bos_token/eos_token may be a string or an {"content": ...} object. */
    private static String tokenText(JsonNode config, String field, Path file) {
        JsonNode v = config.get(field);
        if (v == null || v.isNull()) return null;
        if (v.isTextual()) return v.asText();
        if (v.isObject() && v.path("content").isTextual()) return v.get("content").asText();
        throw new SrrException(file + ": \"" + field + "\" must be a string or {\"content\": ...}");
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public int[] encode(String text, boolean addSpecialTokens) {
        return tokenizer.encodeIds(text, addSpecialTokens);
    }

    public String decode(int[] ids, boolean skipSpecialTokens) {
        return tokenizer.decode(ids, skipSpecialTokens);
    }

    public StreamingDecoder streamingDecoder(boolean skipSpecialTokens) {
        return new StreamingDecoder(tokenizer, skipSpecialTokens);
    }

    /** The BOS token text from tokenizer_config.json, or null. */
    public String bosToken() {
        return bosToken;
    }

    public String eosToken() {
        return eosToken;
    }

    /** The BOS token id, or -1. */
    public int bosId() {
        return bosToken == null ? -1 : tokenizer.tokenToId(bosToken);
    }

    /** Ids that end generation: generation_config.json's eos_token_id (int or list) and the eos_token. */
    public int[] eosIds() {
        return eosIds.clone();
    }

    public boolean hasChatTemplate() {
        return chatTemplate != null;
    }

    /** Renders the chat template like transformers' apply_chat_template(tokenize=False). */
    public String renderChat(List<ChatMessage> messages, boolean addGenerationPrompt) {
        return requireTemplate().render(ChatMessage.toJson(messages), addGenerationPrompt);
    }

    /** Same, for messages given as a JSON array of {"role", "content", ...} objects. */
    public String renderChat(JsonNode messages, boolean addGenerationPrompt) {
        return requireTemplate().render(messages, addGenerationPrompt);
    }

    /** The rendered chat as ids, as apply_chat_template(tokenize=True) gives them (no extra special tokens). */
    public int[] encodeChat(JsonNode messages, boolean addGenerationPrompt) {
        return encode(renderChat(messages, addGenerationPrompt), false);
    }

    /**
     * The ids of a request as the model reads it before answering: the chat template with the generation prompt
     * appended, or, for a tokenizer without a template, the messages' contents one per line, with the special tokens
     * the tokenizer adds. Generated candidates and extracted features both see their prompt this way.
     */
    public int[] promptIds(List<ChatMessage> messages) {
        return promptIds(ChatMessage.toJson(messages));
    }

    /** Same, for messages given as a JSON array of {"role", "content", ...} objects. */
    public int[] promptIds(JsonNode messages) {
        if (hasChatTemplate()) return encodeChat(messages, true);
        StringBuilder text = new StringBuilder();
        messages.forEach(m -> text.append(m.get("content").asText()).append('\n'));
        return encode(text.toString(), true);
    }

    private ChatTemplate requireTemplate() {
        if (chatTemplate == null) {
            throw new SrrException(configFile + ": no chat_template (this tokenizer has no chat format)");
        }
        return chatTemplate;
    }
}
