package dev.srr.engine;

import dev.srr.SrrException;

import java.util.List;

/** Finds stop strings in candidates' decoded text. */
final class StopStrings {
    private final List<String> stops;
    private final TokenTextDecoder decoder;

    StopStrings(List<String> stops, TokenTextDecoder decoder) {
        if (!stops.isEmpty() && decoder == null) {
            throw new SrrException("stop strings need decoded text, which an ids-only run (no tokenizer) does not have: "
                    + "put the model's tokenizer.json in its folder or drop the stop strings");
        }
        this.stops = stops;
        this.decoder = decoder;
    }

    boolean isEmpty() {
        return stops.isEmpty();
    }

    /** Where the earliest stop string begins in {@code text}, or -1. */
    int find(String text) {
        int best = -1;
        for (String s : stops) {
            int at = text.indexOf(s);
            if (at >= 0 && (best < 0 || at < best)) best = at;
        }
        return best;
    }

    /** Whether the text of {@code ids} contains a stop string. */
    boolean stopsAt(int[] ids) {
        return !stops.isEmpty() && find(decoder.decode(ids)) >= 0;
    }

    /** The candidate's text: decoded ids, cut before the stop string when it stopped on one. */
    String text(int[] ids, FinishReason reason) {
        if (decoder == null) return null;
        String text = decoder.decode(ids);
        int at = reason == FinishReason.STOP ? find(text) : -1;
        return at >= 0 ? text.substring(0, at) : text;
    }
}
