package dev.srr.model;

import dev.srr.io.InputFiles;
import dev.srr.io.Json;
import dev.srr.io.JsonFields;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A model's {@code generation_config.json} as srr reads it: the BOS id and the ids that end generation
 * ({@code eos_token_id}, an int or a list). The one reader of those fields: the model config and the tokenizer both
 * take their ids from here (a GGUF file's tokenizer metadata gives the same fields, see the tokenizer).
 *
 * @param bosTokenId -1 when the file gives none
 */
public record GenerationConfig(int bosTokenId, int[] eosTokenIds) {
    public static final String FILE = "generation_config.json";

    /**
     * Reads {@code file} when it exists, else returns null; ids must lie in 0..{@code maxId}.
     *
     * @throws dev.srr.SrrException naming the file and the field for a folder, bad JSON or an id out of range
     */
    public static GenerationConfig read(Path file, int maxId) {
        if (!Files.exists(file)) return null;
        InputFiles.requireNotFolder(file);
        return of(JsonFields.of(file, Json.read(file)), maxId);
    }

    /** The fields of {@code g}; ids must lie in 0..{@code maxId}. */
    public static GenerationConfig of(JsonFields g, int maxId) {
        return new GenerationConfig(g.optInt("bos_token_id", -1, 0, maxId), g.intOrIntArray("eos_token_id", 0, maxId));
    }
}
