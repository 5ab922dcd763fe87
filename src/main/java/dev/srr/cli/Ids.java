package dev.srr.cli;

import dev.srr.SrrException;

import java.util.Arrays;

/** Parses comma-separated integer lists given on the command line. */
final class Ids {
    private Ids() {
    }

    static int[] parse(String text, String option) {
        if (text == null || text.isBlank()) throw new SrrException(option + ": expected comma-separated integers");
        try {
            return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new SrrException(option + ": '" + text + "' is not a comma-separated list of integers");
        }
    }

    /** {@code all} or a list of layer indices, each within 0..max. */
    static int[] layers(String text, int max, String option) {
        if (text.equals("all")) return java.util.stream.IntStream.rangeClosed(0, max).toArray();
        int[] layers = parse(text, option);
        for (int l : layers) {
            if (l < 0 || l > max) throw new SrrException(option + ": layer " + l + " is outside 0.." + max);
        }
        return layers;
    }
}
