package dev.srr.engine;

import dev.srr.SrrException;

/** How a captured layer is reduced over a sequence's positions. */
public enum Pooling {
    /** Every position: [T, hidden]. */
    ALL,
    /** The last position: [hidden]. */
    LAST,
    /** The mean over all positions: [hidden]. */
    MEAN;

    public static Pooling parse(String s) {
        return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "all" -> ALL;
            case "last" -> LAST;
            case "mean" -> MEAN;
            default -> throw new SrrException("unknown pooling '" + s + "' (use all, last or mean)");
        };
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
