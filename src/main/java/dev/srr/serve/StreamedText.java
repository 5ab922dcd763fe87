package dev.srr.serve;

import dev.srr.engine.TokenTextDecoder;

import java.util.Arrays;
import java.util.List;

/**
 * The text of a candidate as its tokens arrive, released only when final: an incomplete UTF-8 character (decoded as
 * U+FFFD) and any tail that could still grow into a stop string are held back, so a streamed answer never shows what
 * the finished one cuts off.
 */
final class StreamedText {
    private final TokenTextDecoder decoder;
    private final List<String> stops;
    private int[] ids = new int[64];
    private int count;
    private String sent = "";

    /** @param decoder the whole text of the ids so far (special tokens skipped) */
    StreamedText(TokenTextDecoder decoder, List<String> stops) {
        this.decoder = decoder;
        this.stops = stops;
    }

    /** Adds a token; returns the text that became final (may be empty). */
    String add(int token) {
        if (count == ids.length) ids = Arrays.copyOf(ids, count * 2);
        ids[count++] = token;
        String text = decoder.decode(Arrays.copyOf(ids, count));
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == '\uFFFD') end--;
        for (String s : stops) {
            int at = text.indexOf(s);
            if (at >= 0) end = Math.min(end, at);
            for (int len = Math.min(s.length() - 1, end); len > 0; len--) {
                if (text.startsWith(s.substring(0, len), end - len)) {
                    end -= len;
                    break;
                }
            }
        }
        return release(text.substring(0, Math.max(end, 0)));
    }

    /** What the finished text adds to what was sent. */
    String rest(String finished) {
        return finished == null ? "" : release(finished);
    }

    private String release(String upTo) {
        if (upTo.length() <= sent.length() || !upTo.startsWith(sent)) return "";
        String delta = upTo.substring(sent.length());
        sent = upTo;
        return delta;
    }
}
