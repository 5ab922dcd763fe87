package dev.srr.tokenizer;

import java.util.ArrayList;
import java.util.List;

/** How a split treats the delimiters it found (tokenizers' SplitDelimiterBehavior). */
enum SplitBehavior {
    REMOVED, ISOLATED, MERGED_WITH_PREVIOUS, MERGED_WITH_NEXT, CONTIGUOUS;

    static SplitBehavior fromJson(JsonConfig config, String field) {
        String name = config.text(field);
        return switch (name) {
            case "Removed" -> REMOVED;
            case "Isolated" -> ISOLATED;
            case "MergedWithPrevious" -> MERGED_WITH_PREVIOUS;
            case "MergedWithNext" -> MERGED_WITH_NEXT;
            case "Contiguous" -> CONTIGUOUS;
            default -> throw config.error("unknown split behavior \"" + name + "\"");
        };
    }

    /** Splits {@code text} at the matches of {@code pattern} and appends the non-empty pieces to {@code out}. */
    void split(NormalizedText text, TextPattern pattern, boolean invert, List<NormalizedText> out) {
        int len = text.length();
        if (len == 0) return;
        int[] m = pattern.findMatches(text);
        // Cover the whole text with (start, end, isMatch) parts.
        List<int[]> parts = new ArrayList<>(m.length + 1);
        int prev = 0;
        for (int i = 0; i < m.length; i += 2) {
            if (m[i] > prev) parts.add(new int[]{prev, m[i], invert ? 1 : 0});
            parts.add(new int[]{m[i], m[i + 1], invert ? 0 : 1});
            prev = m[i + 1];
        }
        if (prev < len) parts.add(new int[]{prev, len, invert ? 1 : 0});

        List<int[]> kept = new ArrayList<>(parts.size());
        switch (this) {
            case ISOLATED -> kept.addAll(parts);
            case REMOVED -> {
                for (int[] p : parts) if (p[2] == 0) kept.add(p);
            }
            case CONTIGUOUS -> {
                int previous = -1;
                for (int[] p : parts) {
                    if (p[2] == previous && !kept.isEmpty()) kept.getLast()[1] = p[1];
                    else kept.add(p.clone());
                    previous = p[2];
                }
            }
            case MERGED_WITH_PREVIOUS -> {
                boolean previousMatch = false;
                for (int[] p : parts) {
                    if (p[2] == 1 && !previousMatch && !kept.isEmpty()) kept.getLast()[1] = p[1];
                    else kept.add(p.clone());
                    previousMatch = p[2] == 1;
                }
            }
            case MERGED_WITH_NEXT -> {
                boolean previousMatch = false;
                for (int i = parts.size() - 1; i >= 0; i--) {
                    int[] p = parts.get(i);
                    if (p[2] == 1 && !previousMatch && !kept.isEmpty()) kept.getLast()[0] = p[0];
                    else kept.add(p.clone());
                    previousMatch = p[2] == 1;
                }
                java.util.Collections.reverse(kept);
            }
        }
        for (int[] p : kept) {
            if (p[1] > p[0]) out.add(text.slice(p[0], p[1]));
        }
    }
}
