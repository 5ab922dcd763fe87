package dev.srr.io;

import com.fasterxml.jackson.databind.JsonNode;
import dev.srr.SrrException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Typed, range-checked fields of one JSON object read from a file: the one place where a number from a file
 * is checked against what it must be before anything uses it. Every error names the file and the field's
 * path, e.g. {@code config.json: field 'rope_scaling.factor' must be a positive number, got number -2.0}.
 *
 * <p>A field that is absent or JSON {@code null} counts as missing: required fields fail, optional ones give
 * their default. Integers must be JSON integers (not 2.0 or "2") within the given bounds; numbers must be
 * finite (Jackson reads {@code 1e999} as infinity).
 */
public final class JsonFields {
    private final String file;
    private final String prefix;
    private final JsonNode node;

    private JsonFields(String file, String prefix, JsonNode node) {
        this.file = file;
        this.prefix = prefix;
        this.node = node;
    }

    /**
     * The top-level object of {@code file}.
     *
     * @throws SrrException naming the file when {@code root} is not a JSON object
     */
    public static JsonFields of(Path file, JsonNode root) {
        return of(file.toString(), root);
    }

    /** The top-level object of the source named {@code file} (a path, or a path and a key for embedded JSON). */
    public static JsonFields of(String file, JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new SrrException(file + ": expected a JSON object, got " + describe(root));
        }
        return new JsonFields(file, "", root);
    }

    /**
     * An object found at {@code path} inside {@code file} (a tokenizer component, say), whose fields are named
     * {@code path.field} in errors.
     *
     * @throws SrrException naming the file and path when {@code node} is not a JSON object
     */
    public static JsonFields at(String file, String path, JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new SrrException(file + ": '" + path + "' must be an object, got " + describe(node));
        }
        return new JsonFields(file, path + ".", node);
    }

    /** The object itself. */
    public JsonNode node() {
        return node;
    }

    /** The file (or source) the object came from, as errors name it. */
    public String file() {
        return file;
    }

    /** The dotted path of {@code field} inside the file, e.g. {@code rope_scaling.factor}. */
    public String path(String field) {
        return prefix + field;
    }

    /** Whether {@code field} is present and not null. */
    public boolean has(String field) {
        JsonNode v = node.get(field);
        return v != null && !v.isNull();
    }

    /** The raw value of {@code field}, or null when absent or JSON null. */
    public JsonNode get(String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v;
    }

    /** An error about {@code field}: "FILE: field 'PATH' PROBLEM". */
    public SrrException error(String field, String problem) {
        return new SrrException(file + ": field '" + path(field) + "' " + problem);
    }

    private JsonNode required(String field) {
        JsonNode v = get(field);
        if (v == null) throw new SrrException(file + ": missing field '" + path(field) + "'");
        return v;
    }

    /** The object in {@code field}, whose own fields are named {@code field.x} in errors. */
    public JsonFields object(String field) {
        JsonNode v = required(field);
        if (!v.isObject()) throw error(field, "must be an object, got " + describe(v));
        return new JsonFields(file, path(field) + ".", v);
    }

    /** The object in {@code field}, or null when the field is absent or null. */
    public JsonFields optObject(String field) {
        return has(field) ? object(field) : null;
    }

    /** The array in {@code field}. */
    public JsonNode array(String field) {
        JsonNode v = required(field);
        if (!v.isArray()) throw error(field, "must be an array, got " + describe(v));
        return v;
    }

    /** A required integer within [{@code min}, {@code max}]. */
    public int requiredInt(String field, int min, int max) {
        return (int) integer(required(field), field, min, max);
    }

    /** An optional integer within [{@code min}, {@code max}]; {@code dflt} (not checked) when missing. */
    public int optInt(String field, int dflt, int min, int max) {
        JsonNode v = get(field);
        return v == null ? dflt : (int) integer(v, field, min, max);
    }

    /** A required integer within [{@code min}, {@code max}], as a long. */
    public long requiredLong(String field, long min, long max) {
        return integer(required(field), field, min, max);
    }

    /** A required finite number within [{@code min}, {@code max}]. */
    public double requiredNumber(String field, double min, double max) {
        return number(required(field), field, min, max);
    }

    /** An optional finite number within [{@code min}, {@code max}]; {@code dflt} (not checked) when missing. */
    public double optNumber(String field, double dflt, double min, double max) {
        JsonNode v = get(field);
        return v == null ? dflt : number(v, field, min, max);
    }

    /** A required true or false. */
    public boolean requiredBool(String field) {
        return bool(required(field), field);
    }

    /** An optional true or false. */
    public boolean optBool(String field, boolean dflt) {
        JsonNode v = get(field);
        return v == null ? dflt : bool(v, field);
    }

    /** A required string. */
    public String requiredText(String field) {
        return text(required(field), field);
    }

    /** An optional string. */
    public String optText(String field, String dflt) {
        JsonNode v = get(field);
        return v == null ? dflt : text(v, field);
    }

    /**
     * A required string turned into a value by {@code parse} (an enum's parser, say); the parser's
     * {@link SrrException} is reported against this file and field.
     */
    public <T> T requiredText(String field, Function<String, T> parse) {
        return parsed(field, requiredText(field), parse);
    }

    /** A required array of strings, each turned into a value by {@code parse}. */
    public <T> List<T> textArray(String field, Function<String, T> parse) {
        List<String> texts = textArray(field);
        List<T> out = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) out.add(parsed(field + "[" + i + "]", texts.get(i), parse));
        return out;
    }

    private <T> T parsed(String field, String text, Function<String, T> parse) {
        try {
            return parse.apply(text);
        } catch (SrrException e) {
            throw error(field, "is not valid: " + e.getMessage());
        }
    }

    /** A required array of integers, each within [{@code min}, {@code max}]. */
    public int[] intArray(String field, int min, int max) {
        JsonNode a = array(field);
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = (int) integer(a.get(i), field + "[" + i + "]", min, max);
        return out;
    }

    /** An optional field holding one integer or an array of them (eos_token_id); empty when missing. */
    public int[] intOrIntArray(String field, int min, int max) {
        JsonNode v = get(field);
        if (v == null) return new int[0];
        return v.isArray() ? intArray(field, min, max) : new int[]{(int) integer(v, field, min, max)};
    }

    /** A required array of strings. */
    public List<String> textArray(String field) {
        JsonNode a = array(field);
        List<String> out = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) out.add(text(a.get(i), field + "[" + i + "]"));
        return out;
    }

    private long integer(JsonNode v, String field, long min, long max) {
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
            throw error(field, "must be " + Ranges.integers(min, max) + ", got " + describe(v));
        }
        return v.asLong();
    }

    private double number(JsonNode v, String field, double min, double max) {
        double d = v.asDouble();
        if (!v.isNumber() || !Double.isFinite(d) || d < min || d > max) {
            throw error(field, "must be " + Ranges.numbers(min, max) + ", got " + describe(v));
        }
        return d;
    }

    private boolean bool(JsonNode v, String field) {
        if (!v.isBoolean()) throw error(field, "must be true or false, got " + describe(v));
        return v.asBoolean();
    }

    private String text(JsonNode v, String field) {
        if (!v.isTextual()) throw error(field, "must be a string, got " + describe(v));
        return v.asText();
    }

    /** A short description of a JSON value for messages: its type and (cut) text, e.g. {@code string "three"}. */
    public static String describe(JsonNode v) {
        if (v == null || v.isMissingNode()) return "nothing";
        String s = v.toString();
        return v.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " "
                + (s.length() > 40 ? s.substring(0, 40) + "..." : s);
    }
}
