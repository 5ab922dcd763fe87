package dev.srr.tokenizer;

import java.util.Arrays;

/**
 * A piece of text as the tokenizer pipeline rewrites it, with each code point aligned to the span of the
 * original input it came from. Offsets are code point indices into the whole original input, which is
 * what Hugging Face tokenizers report to Python callers.
 *
 * <p>The alignment rules follow {@code NormalizedString} of Hugging Face tokenizers: a rewrite is a list of
 * (code point, change) pairs where change 0 replaces the next input code point, a negative change also
 * swallows that many following code points, and a positive change inserts a code point that shares the
 * alignment of the code point before it.
 */
final class NormalizedText {
    private final int[] cps;
    private final int[] alignStart;
    private final int[] alignEnd;
    /** Where this piece begins in the original input; kept for empty pieces too. */
    private final int originalBegin;
    private String string;

    private NormalizedText(int[] cps, int[] alignStart, int[] alignEnd, int originalBegin, String string) {
        this.cps = cps;
        this.alignStart = alignStart;
        this.alignEnd = alignEnd;
        this.originalBegin = originalBegin;
        this.string = string;
    }

    /** The original text itself, each code point aligned to itself, starting at original index {@code offset}. */
    static NormalizedText ofOriginal(String text, int offset) {
        int[] cps = text.codePoints().toArray();
        int[] start = new int[cps.length];
        int[] end = new int[cps.length];
        for (int i = 0; i < cps.length; i++) {
            start[i] = offset + i;
            end[i] = offset + i + 1;
        }
        return new NormalizedText(cps, start, end, offset, text);
    }

    int length() {
        return cps.length;
    }

    boolean isEmpty() {
        return cps.length == 0;
    }

    int codePointAt(int i) {
        return cps[i];
    }

    int[] codePoints() {
        return cps;
    }

    @Override
    public String toString() {
        if (string == null) string = new String(cps, 0, cps.length);
        return string;
    }

    int originalBegin() {
        return originalBegin;
    }

    /** Original start of the normalized range [start, end); the range must not be empty. */
    int originalStart(int start) {
        return alignStart[start];
    }

    int originalEnd(int endExclusive) {
        return alignEnd[endExclusive - 1];
    }

    NormalizedText slice(int start, int end) {
        if (start == 0 && end == cps.length) return this;
        int begin = start < end ? alignStart[start] : (start < cps.length ? alignStart[start] : originalBegin);
        return new NormalizedText(Arrays.copyOfRange(cps, start, end), Arrays.copyOfRange(alignStart, start, end),
                Arrays.copyOfRange(alignEnd, start, end), begin, null);
    }

    /**
     * Rewrites the whole text. {@code initialOffset} input code points are consumed before the first output
     * (they are removed).
     */
    NormalizedText transform(int[] newCps, int[] changes, int count, int initialOffset) {
        int[] start = new int[count];
        int[] end = new int[count];
        int offset = initialOffset;
        for (int k = 0; k < count; k++) {
            int change = changes[k];
            if (change > 0) {
                if (offset >= 1) {
                    start[k] = alignStart[offset - 1];
                    end[k] = alignEnd[offset - 1];
                } else {
                    start[k] = originalBegin;
                    end[k] = originalBegin;
                }
            } else {
                start[k] = alignStart[offset];
                end[k] = alignEnd[offset];
                offset += 1 - change;
            }
        }
        return new NormalizedText(Arrays.copyOf(newCps, count), start, end, originalBegin, null);
    }

    /** Puts {@code prefix} in front; every added code point takes the alignment of the first code point. */
    NormalizedText prepend(String prefix) {
        if (cps.length == 0) return this;
        int[] p = prefix.codePoints().toArray();
        int n = p.length + cps.length;
        int[] newCps = new int[n];
        int[] start = new int[n];
        int[] end = new int[n];
        System.arraycopy(p, 0, newCps, 0, p.length);
        System.arraycopy(cps, 0, newCps, p.length, cps.length);
        Arrays.fill(start, 0, p.length, alignStart[0]);
        Arrays.fill(end, 0, p.length, alignEnd[0]);
        System.arraycopy(alignStart, 0, start, p.length, cps.length);
        System.arraycopy(alignEnd, 0, end, p.length, cps.length);
        return new NormalizedText(newCps, start, end, originalBegin, null);
    }

    /**
     * Replaces each match [start, end) by {@code content}; the inserted code points take the alignment of
     * the last code point of the match (as Hugging Face tokenizers do).
     */
    NormalizedText replace(TextPattern pattern, String content) {
        int[] c = content.codePoints().toArray();
        int[] matches = pattern.findMatches(this);
        if (matches.length == 0) return this;
        int cap = cps.length + (matches.length / 2) * c.length;
        int[] newCps = new int[cap];
        int[] start = new int[cap];
        int[] end = new int[cap];
        int n = 0;
        int last = 0;
        for (int m = 0; m < matches.length; m += 2) {
            int ms = matches[m];
            int me = matches[m + 1];
            int keep = ms - last;
            System.arraycopy(cps, last, newCps, n, keep);
            System.arraycopy(alignStart, last, start, n, keep);
            System.arraycopy(alignEnd, last, end, n, keep);
            n += keep;
            int as = me >= 1 ? alignStart[me - 1] : originalBegin;
            int ae = me >= 1 ? alignEnd[me - 1] : originalBegin;
            for (int cp : c) {
                newCps[n] = cp;
                start[n] = as;
                end[n] = ae;
                n++;
            }
            last = me;
        }
        int keep = cps.length - last;
        System.arraycopy(cps, last, newCps, n, keep);
        System.arraycopy(alignStart, last, start, n, keep);
        System.arraycopy(alignEnd, last, end, n, keep);
        n += keep;
        return new NormalizedText(Arrays.copyOf(newCps, n), Arrays.copyOf(start, n), Arrays.copyOf(end, n),
                originalBegin, null);
    }

    /** Keeps the code points in [from, to): used by strip, which leaves the kept alignments untouched. */
    NormalizedText keep(int from, int to) {
        NormalizedText s = slice(from, to);
        return s == this ? this : new NormalizedText(s.cps, s.alignStart, s.alignEnd, originalBegin, null);
    }
}
