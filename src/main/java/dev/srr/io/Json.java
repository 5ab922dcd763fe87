package dev.srr.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.srr.SrrException;
import dev.srr.Warnings;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * One shared Jackson mapper and the readers every JSON input goes through, turning parse failures into messages
 * naming the file.
 *
 * <p>Duplicate keys: a JSON object that names a key twice is ambiguous (RFC 8259 leaves the meaning open).
 * {@link Duplicates#ERROR} refuses it, for formats that say so (safetensors headers) and for files srr writes
 * itself (ranker.json, feature-cache metadata), where a duplicate can only mean tampering or corruption.
 * {@link Duplicates#WARN} keeps the last value, as Python's {@code json} module does (so transformers reads such a
 * config.json the same way), and reports the key as a warning: Hugging Face files and user data are read as the
 * Python tools read them, but the ambiguity is not silent.
 *
 * <p>Content after the first JSON value, other than white space, is an error (as in Python's {@code json.loads});
 * so is an empty input. Jackson's default stream limits apply (numbers of at most 1000 digits, nesting at most
 * 1000 deep, strings of at most 20 MB), so no input parses into something far larger than itself.
 */
public final class Json {
    /** For building and writing JSON; readers use {@link #read}, {@link #parse} and their strict forms. */
    public static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Reads one document, failing on a duplicate key (found while parsing) and on trailing content. */
    private static final ObjectMapper CHECKED = new ObjectMapper(JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /** The same without duplicate detection: the last value wins, as in Python. */
    private static final ObjectMapper LAST_WINS = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final String DUPLICATE = "Duplicate field '";

    /** What a key named twice in one object means. */
    public enum Duplicates {
        /** An error naming the key and where it repeats. */
        ERROR,
        /** A warning naming the key; the last value is kept. */
        WARN
    }

    private Json() {
    }

    /** Reads a JSON file; a duplicate key is a warning. Errors name the file. */
    public static JsonNode read(Path file) {
        return read(file, Duplicates.WARN);
    }

    /** Reads a JSON file srr wrote itself, or one whose format forbids duplicate keys. */
    public static JsonNode readStrict(Path file) {
        return read(file, Duplicates.ERROR);
    }

    private static JsonNode read(Path file, Duplicates duplicates) {
        InputFiles.requireNotFolder(file);
        // streamed, not read whole: a binary file passed by mistake fails at its first bytes, whatever its size
        return parse(mapper -> {
            try (InputStream in = Files.newInputStream(file)) {
                return mapper.readTree(in);
            }
        }, file.toString(), duplicates);
    }

    /** Reads JSON from a stream (a decompressed file, say); {@code where} names it in errors. */
    public static JsonNode read(InputStream in, String where) {
        byte[] bytes;
        try {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new SrrException(where + ": cannot read: " + e.getMessage());
        }
        return parse(mapper -> mapper.readTree(bytes), where, Duplicates.WARN);
    }

    /** Parses JSON text; {@code where} names its source in errors. A duplicate key is a warning. */
    public static JsonNode parse(String text, String where) {
        return parse(text, where, Duplicates.WARN);
    }

    /** Parses JSON text whose format forbids duplicate keys, or that srr wrote itself. */
    public static JsonNode parseStrict(String text, String where) {
        return parse(text, where, Duplicates.ERROR);
    }

    /** Parses JSON text with the given treatment of duplicate keys. */
    public static JsonNode parse(String text, String where, Duplicates duplicates) {
        return parse(mapper -> mapper.readTree(text), where, duplicates);
    }

    /** A JSON source that can be read more than once (a duplicate key in lenient mode means a second read). */
    @FunctionalInterface
    private interface Source {
        JsonNode readWith(ObjectMapper mapper) throws IOException;
    }

    private static JsonNode parse(Source source, String where, Duplicates duplicates) {
        JsonNode node;
        try {
            node = source.readWith(CHECKED);
        } catch (NoSuchFileException e) {
            throw new SrrException(where + ": file not found");
        } catch (IOException e) {
            String duplicate = duplicateKey(e);
            if (duplicate == null) throw invalid(e, where);
            String message = where + ": key \"" + duplicate + "\" appears twice in one object" + at(e);
            if (duplicates == Duplicates.ERROR) throw new SrrException(message + " (which value is meant is undefined)");
            try {
                node = source.readWith(LAST_WINS);
            } catch (IOException again) {
                throw invalid(again, where);
            }
            Warnings.warn(message + "; the last value is used, as Python's json module does");
        }
        // Jackson reads an empty or blank input as a missing node rather than failing
        if (node == null || node.isMissingNode()) throw new SrrException(where + ": empty (expected JSON)");
        return node;
    }

    private static String duplicateKey(IOException e) {
        if (!(e instanceof JsonParseException p)) return null;
        String m = p.getOriginalMessage();
        if (m == null || !m.startsWith(DUPLICATE)) return null;
        int end = m.lastIndexOf('\'');
        return end <= DUPLICATE.length() ? null : m.substring(DUPLICATE.length(), end);
    }

    private static String at(IOException e) {
        if (!(e instanceof JsonProcessingException p) || p.getLocation() == null) return "";
        JsonLocation l = p.getLocation();
        return l.getLineNr() > 0 ? " (line " + l.getLineNr() + ", column " + l.getColumnNr() + ")" : "";
    }

    private static SrrException invalid(IOException e, String where) {
        if (e instanceof JsonProcessingException p) {
            return new SrrException(where + ": invalid JSON: " + p.getOriginalMessage() + at(e));
        }
        return new SrrException(where + ": cannot read: " + e.getMessage());
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
