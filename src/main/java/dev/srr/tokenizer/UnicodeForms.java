package dev.srr.tokenizer;

import java.text.Normalizer;
import java.util.Arrays;

/**
 * NFC/NFD/NFKC/NFKD with alignments. Java's {@link Normalizer} produces the text; the alignment comes from
 * splitting the input into segments that normalize independently (a base character and the marks that
 * follow it) and mapping each segment's output onto its input the way Hugging Face tokenizers do: a
 * composed character takes the alignment of its base, extra characters from a decomposition share the
 * alignment of the character they came from.
 */
final class UnicodeForms {
    private UnicodeForms() {
    }

    static NormalizedText apply(NormalizedText text, Normalizer.Form form) {
        String s = text.toString();
        if (Normalizer.isNormalized(s, form)) return text;
        int[] in = text.codePoints();
        int[] outCps = new int[in.length * 4 + 8];
        int[] changes = new int[outCps.length];
        int n = 0;
        int segStart = 0;
        StringBuilder whole = new StringBuilder();
        for (int i = 1; i <= in.length; i++) {
            if (i < in.length && continuesSegment(in[i])) continue;
            String normalized = Normalizer.normalize(new String(in, segStart, i - segStart), form);
            whole.append(normalized);
            int[] seg = normalized.codePoints().toArray();
            int inLen = i - segStart;
            if (n + seg.length > outCps.length) {
                outCps = Arrays.copyOf(outCps, (n + seg.length) * 2);
                changes = Arrays.copyOf(changes, outCps.length);
            }
            for (int k = 0; k < seg.length; k++) {
                outCps[n] = seg[k];
                if (seg.length <= inLen) {
                    // Composition: the first output swallows the input code points that disappeared.
                    changes[n] = k == 0 ? -(inLen - seg.length) : 0;
                } else {
                    // Decomposition: the extra output code points hang off the last input code point.
                    changes[n] = k < inLen ? 0 : 1;
                }
                n++;
            }
            segStart = i;
        }
        if (!whole.toString().equals(Normalizer.normalize(s, form))) {
            // Segments interacted (rare starter-starter compositions): align the whole text as one segment.
            int[] all = Normalizer.normalize(s, form).codePoints().toArray();
            n = all.length;
            outCps = all;
            changes = new int[n];
            for (int k = 0; k < n; k++) {
                if (n <= in.length) changes[k] = k == 0 ? -(in.length - n) : 0;
                else changes[k] = k < in.length ? 0 : 1;
            }
        }
        if (n == 0) return text.keep(0, 0);
        return text.transform(outCps, changes, n, 0);
    }

    /** Code points that can combine with what precedes them: marks, Hangul vowel/trailing jamo, kana voicing. */
    private static boolean continuesSegment(int cp) {
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK
                || (cp >= 0x1160 && cp <= 0x11FF) || (cp >= 0xD7B0 && cp <= 0xD7FF)
                || cp == 0xFF9E || cp == 0xFF9F;
    }
}
