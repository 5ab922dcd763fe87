package dev.srr.io;

import dev.srr.SrrException;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The key/value metadata of a GGUF file with typed accessors. A value of the wrong type, or an integer out of
 * the range asked for, is a {@link SrrException} naming the file and the key.
 */
public final class GgufMetadata {
    private final Path file;
    private final Map<String, Object> values;

    GgufMetadata(Path file, Map<String, Object> values) {
        this.file = file;
        this.values = values;
    }

    /** The file the metadata came from (for messages). */
    public Path file() {
        return file;
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    public Set<String> keys() {
        return values.keySet();
    }

    /** The raw value: Long, Float, Double, Boolean, String or List. */
    public Object raw(String key) {
        return values.get(key);
    }

    private SrrException wrong(String key, String expected) {
        Object v = values.get(key);
        String got = v instanceof List<?> l ? "an array of " + l.size() : v == null ? "nothing" : v.getClass().getSimpleName().toLowerCase()
                + " " + abbreviate(String.valueOf(v));
        return new SrrException(file + ": metadata '" + key + "' must be " + expected + ", got " + got);
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    private Object require(String key) {
        Object v = values.get(key);
        if (v == null) throw new SrrException(file + ": metadata '" + key + "' is missing");
        return v;
    }

    public String string(String key) {
        if (!(require(key) instanceof String s)) throw wrong(key, "a string");
        return s;
    }

    public String optString(String key, String dflt) {
        return has(key) ? string(key) : dflt;
    }

    public long longValue(String key) {
        if (!(require(key) instanceof Long l)) throw wrong(key, "an integer");
        return l;
    }

    public long optLong(String key, long dflt) {
        return has(key) ? longValue(key) : dflt;
    }

    /** An integer key that must lie in [min, max]. */
    public int intValue(String key, int min, int max) {
        long v = longValue(key);
        if (v < min || v > max) {
            throw new SrrException(file + ": metadata '" + key + "' is " + v + ", expected " + min + " to " + max);
        }
        return (int) v;
    }

    public int optInt(String key, int dflt, int min, int max) {
        return has(key) ? intValue(key, min, max) : dflt;
    }

    /** A FLOAT32, FLOAT64 or integer value as a double. */
    public double number(String key) {
        Object v = require(key);
        if (v instanceof Float f) return f;
        if (v instanceof Double d) return d;
        if (v instanceof Long l) return l;
        throw wrong(key, "a number");
    }

    public double optNumber(String key, double dflt) {
        return has(key) ? number(key) : dflt;
    }

    public boolean bool(String key) {
        if (!(require(key) instanceof Boolean b)) throw wrong(key, "true or false");
        return b;
    }

    public boolean optBool(String key, boolean dflt) {
        return has(key) ? bool(key) : dflt;
    }

    private List<?> list(String key) {
        if (!(require(key) instanceof List<?> l)) throw wrong(key, "an array");
        return l;
    }

    /** An array of strings. */
    public List<String> strings(String key) {
        List<?> l = list(key);
        for (Object o : l) if (!(o instanceof String)) throw wrong(key, "an array of strings");
        @SuppressWarnings("unchecked") List<String> s = (List<String>) l;
        return s;
    }

    /** An array of integers that each fit an int. */
    public int[] ints(String key) {
        List<?> l = list(key);
        int[] out = new int[l.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(l.get(i) instanceof Long v) || v != (int) (long) v) throw wrong(key, "an array of 32-bit integers");
            out[i] = (int) (long) v;
        }
        return out;
    }

    /** An array of numbers as floats. */
    public float[] floats(String key) {
        List<?> l = list(key);
        float[] out = new float[l.size()];
        for (int i = 0; i < out.length; i++) {
            Object o = l.get(i);
            if (o instanceof Float f) out[i] = f;
            else if (o instanceof Double d) out[i] = (float) (double) d;
            else if (o instanceof Long v) out[i] = v;
            else throw wrong(key, "an array of numbers");
        }
        return out;
    }
}
