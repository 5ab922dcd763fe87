package dev.srr.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.srr.SrrException;
import dev.srr.io.JsonFields;

/**
 * Reads fields of one tokenizer.json component, with errors that name the file and the component. Typed
 * fields go through {@link JsonFields}, so a wrong type or an out-of-range number reads the same here as in
 * every other file srr reads.
 */
record JsonConfig(String file, String component, JsonNode node) {

    static JsonConfig of(String file, String component, JsonNode node) {
        return new JsonConfig(file, component, node);
    }

    private JsonFields fields() {
        return JsonFields.at(file, component, node);
    }

    String type() {
        return fields().requiredText("type");
    }

    JsonConfig child(String field, JsonNode value) {
        return new JsonConfig(file, component + "." + field, value);
    }

    String text(String field) {
        return fields().requiredText(field);
    }

    String text(String field, String fallback) {
        return fields().optText(field, fallback);
    }

    /** A string field that must hold exactly one character (a code point), like Rust's {@code char}. */
    String character(String field, String fallback) {
        String s = text(field, fallback);
        if (s == null) throw fields().error(field, "is missing");
        if (s.codePointCount(0, s.length()) != 1) throw fields().error(field, "must be one character, got \"" + s + "\"");
        return s;
    }

    boolean bool(String field, boolean fallback) {
        return fields().optBool(field, fallback);
    }

    int integer(String field, int fallback, int min, int max) {
        return fields().optInt(field, fallback, min, max);
    }

    int requiredInteger(String field, int min, int max) {
        return fields().requiredInt(field, min, max);
    }

    JsonNode array(String field) {
        return fields().array(field);
    }

    /** A {"String": ...} or {"Regex": ...} pattern as used by Split and Replace. */
    TextPattern pattern(String field) {
        JsonFields f = fields();
        JsonFields p = f.has(field) && f.get(field).isObject() ? f.object(field) : null;
        if (p != null && p.has("String")) return TextPattern.literal(p.requiredText("String"));
        if (p != null && p.has("Regex")) {
            return TextPattern.regex(OnigRegex.compile(p.requiredText("Regex"), file + ": " + component));
        }
        throw error("field \"" + field + "\" must be {\"String\": ...} or {\"Regex\": ...}");
    }

    SrrException error(String message) {
        return new SrrException(file + ": " + component + ": " + message);
    }

    SrrException unsupported(String type) {
        return new SrrException(file + ": " + component + " type \"" + type + "\" is not supported by srr");
    }
}
