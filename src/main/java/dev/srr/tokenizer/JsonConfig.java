package dev.srr.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.srr.SrrException;

/** Reads fields of one tokenizer.json component, with errors that name the file and the component. */
record JsonConfig(String file, String component, JsonNode node) {

    static JsonConfig of(String file, String component, JsonNode node) {
        return new JsonConfig(file, component, node);
    }

    String type() {
        JsonNode t = node.get("type");
        if (t == null || !t.isTextual()) throw error("missing \"type\"");
        return t.asText();
    }

    JsonConfig child(String field, JsonNode value) {
        return new JsonConfig(file, component + "." + field, value);
    }

    String text(String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) throw error("missing or non-string field \"" + field + "\"");
        return v.asText();
    }

    String text(String field, String fallback) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? fallback : v.asText();
    }

    boolean bool(String field, boolean fallback) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return fallback;
        if (!v.isBoolean()) throw error("field \"" + field + "\" must be true or false");
        return v.asBoolean();
    }

    int integer(String field, int fallback) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return fallback;
        if (!v.canConvertToInt()) throw error("field \"" + field + "\" must be an integer");
        return v.asInt();
    }

    JsonNode array(String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isArray()) throw error("missing or non-array field \"" + field + "\"");
        return v;
    }

    /** A {"String": ...} or {"Regex": ...} pattern as used by Split and Replace. */
    TextPattern pattern(String field) {
        JsonNode p = node.get(field);
        if (p != null && p.has("String")) return TextPattern.literal(p.get("String").asText());
        if (p != null && p.has("Regex")) {
            return TextPattern.regex(OnigRegex.compile(p.get("Regex").asText(), file + ": " + component));
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
