package dev.srr.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.srr.SrrException;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** One shared Jackson mapper and helpers that turn parse failures into messages naming the file. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }

    public static JsonNode read(Path file) {
        try {
            return MAPPER.readTree(file.toFile());
        } catch (NoSuchFileException e) {
            throw new SrrException(file + ": file not found");
        } catch (JsonProcessingException e) {
            throw new SrrException(file + ": invalid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            if (!file.toFile().exists()) throw new SrrException(file + ": file not found");
            throw new SrrException(file + ": cannot read: " + e.getMessage());
        }
    }

    public static JsonNode parse(String text, String where) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new SrrException(where + ": invalid JSON: " + e.getOriginalMessage());
        }
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String writePretty(Object value) {
        try {
            return PRETTY.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
