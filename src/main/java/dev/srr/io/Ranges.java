package dev.srr.io;

import dev.srr.SrrException;

/**
 * Checks a number against the bounds it must lie in, with one wording for every reader: "a positive integer",
 * "an integer from 0 to 31", "a number from 0 to 1". Used by {@link JsonFields} for JSON fields and directly
 * for numbers from binary headers.
 */
public final class Ranges {
    private Ranges() {
    }

    /**
     * {@code value} itself when it lies in [{@code min}, {@code max}].
     *
     * @param where the file and field, e.g. {@code "feats.safetensors: tensor 'x' dimension 0"}
     * @throws SrrException "WHERE must be EXPECTATION, got VALUE" otherwise
     */
    public static long check(long value, long min, long max, String where) {
        if (value < min || value > max) throw new SrrException(where + " must be " + integers(min, max) + ", got " + value);
        return value;
    }

    /** The wording for integers within [{@code min}, {@code max}]. */
    public static String integers(long min, long max) {
        boolean unbounded = max == Integer.MAX_VALUE || max == Long.MAX_VALUE;
        if (min == 1 && unbounded) return "a positive integer";
        if (min == 0 && unbounded) return "a non-negative integer";
        if (unbounded) return "an integer of at least " + min;
        return "an integer from " + min + " to " + max;
    }

    /** The wording for finite numbers within [{@code min}, {@code max}]. */
    public static String numbers(double min, double max) {
        boolean unbounded = max == Double.MAX_VALUE;
        if (min == Double.MIN_VALUE && unbounded) return "a positive number";
        if (min == 0 && unbounded) return "a non-negative number";
        if (min == -Double.MAX_VALUE && unbounded) return "a finite number";
        if (unbounded) return "a number of at least " + min;
        return "a number from " + min + " to " + max;
    }
}
