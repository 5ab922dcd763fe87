package dev.srr.tokenizer.jinja;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Python's json.dumps as transformers' tojson calls it: ensure_ascii (off by default), indent (spaces or a
 * string), separators (", " and ": " by default, "," and ": " with an indent), sort_keys. Floats are written as
 * Python's repr writes them (1e-05, 1e+16, -0.0).
 */
final class PyJson {
    private final boolean ensureAscii;
    private final String indent;
    private final String itemSeparator;
    private final String keySeparator;
    private final boolean sortKeys;
    private final StringBuilder out = new StringBuilder();

    private PyJson(boolean ensureAscii, String indent, String itemSeparator, String keySeparator, boolean sortKeys) {
        this.ensureAscii = ensureAscii;
        this.indent = indent;
        this.itemSeparator = itemSeparator;
        this.keySeparator = keySeparator;
        this.sortKeys = sortKeys;
    }

    static String dumps(Object value, boolean ensureAscii, Object indent, Object separators, boolean sortKeys) {
        String indentText = null;
        if (indent instanceof String s) indentText = s;
        else if (PyOps.isInt(indent)) {
            java.math.BigInteger width = PyOps.bigInt(indent).max(java.math.BigInteger.ZERO);
            Limits.chars(width.min(java.math.BigInteger.valueOf(Limits.MAX_CHARS + 1)).longValue());
            indentText = " ".repeat(width.intValue());
        }
        else if (indent != null) throw TemplateException.runtime("indent must be an int or a string");
        String item = indentText == null ? ", " : ",";
        String key = ": ";
        if (separators != null) {
            List<Object> parts = PyOps.iterate(separators);
            if (parts.size() != 2) throw TemplateException.runtime("separators must be an (item_separator, key_separator) pair");
            item = PyRepr.str(parts.get(0));
            key = PyRepr.str(parts.get(1));
        }
        PyJson json = new PyJson(ensureAscii, indentText, item, key, sortKeys);
        json.write(value, 0);
        return json.out.toString();
    }

    private void write(Object v, int depth) {
        Limits.chars(out.length());
        switch (v) {
            case null -> out.append("null");
            case Boolean b -> out.append(b ? "true" : "false");
            case Double d -> out.append(Double.isNaN(d) ? "NaN" : Double.isInfinite(d) ? (d > 0 ? "Infinity" : "-Infinity") : PyRepr.floatRepr(d));
            case Long l -> out.append(l);
            case java.math.BigInteger b -> out.append(b);
            case String s -> string(s);
            case Markup m -> string(m.text());
            case Map<?, ?> map -> object(map, depth);
            case PyTuple t -> array(t.items(), depth);
            case List<?> list -> array(list, depth);
            default -> throw TemplateException.runtime("Object of type " + PyOps.typeName(v) + " is not JSON serializable");
        }
    }

    private void object(Map<?, ?> map, int depth) {
        if (map.isEmpty()) {
            out.append("{}");
            return;
        }
        List<Map.Entry<?, ?>> entries = new ArrayList<>(map.entrySet());
        if (sortKeys) entries.sort((a, b) -> PyOps.compare(a.getKey(), b.getKey(), "lt"));
        out.append('{');
        for (int i = 0; i < entries.size(); i++) {
            if (i > 0) out.append(itemSeparator);
            newline(depth + 1);
            string(key(entries.get(i).getKey()));
            out.append(keySeparator);
            write(entries.get(i).getValue(), depth + 1);
        }
        newline(depth);
        out.append('}');
    }

    /** JSON object keys: strings as they are; numbers, booleans and None as json.dumps converts them. */
    private static String key(Object k) {
        return switch (k) {
            case String s -> s;
            case null -> "null";
            case Boolean b -> b ? "true" : "false";
            case Double d -> Double.isNaN(d) ? "NaN" : Double.isInfinite(d) ? (d > 0 ? "Infinity" : "-Infinity") : PyRepr.floatRepr(d);
            case Long l -> l.toString();
            case java.math.BigInteger b -> b.toString();
            default -> throw TemplateException.runtime("keys must be str, int, float, bool or None, not " + PyOps.typeName(k));
        };
    }

    private void array(List<?> items, int depth) {
        if (items.isEmpty()) {
            out.append("[]");
            return;
        }
        out.append('[');
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) out.append(itemSeparator);
            newline(depth + 1);
            write(items.get(i), depth + 1);
        }
        newline(depth);
        out.append(']');
    }

    private void newline(int depth) {
        if (indent == null) return;
        Limits.chars(out.length() + (long) indent.length() * depth);
        out.append('\n');
        out.append(indent.repeat(depth));
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            if ((i & 0xfff) == 0) Limits.chars(out.length());
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || (ensureAscii && c > 0x7e)) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        out.append('"');
    }
}
