package dev.srr.tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * ByteLevel pre-tokenizer: optionally a leading space and GPT-2's word split, then every code point is
 * replaced by the alphabet characters of its UTF-8 bytes (all aligned to that code point).
 */
record ByteLevelPreTokenizer(boolean addPrefixSpace, boolean useRegex) implements PreTokenizer {

    @Override
    public void split(NormalizedText piece, List<NormalizedText> out) {
        if (addPrefixSpace && (piece.isEmpty() || piece.codePointAt(0) != ' ')) piece = piece.prepend(" ");
        if (useRegex) {
            List<NormalizedText> words = new ArrayList<>();
            SplitBehavior.ISOLATED.split(piece, TextPattern.regex(GPT2_WORDS), false, words);
            for (NormalizedText w : words) out.add(toBytes(w));
        } else if (!piece.isEmpty()) {
            out.add(toBytes(piece));
        }
    }

    static NormalizedText toBytes(NormalizedText text) {
        int[] cps = text.codePoints();
        boolean ascii = true;
        for (int cp : cps) {
            if (cp >= 0x80 || ByteLevelAlphabet.charOf(cp) != cp) {
                ascii = false;
                break;
            }
        }
        if (ascii) return text; // printable ASCII maps to itself
        int[] out = new int[cps.length * 4];
        int[] changes = new int[out.length];
        byte[] buf = new byte[4];
        int n = 0;
        for (int cp : cps) {
            int len = Utf8.encode(cp, buf, 0);
            for (int k = 0; k < len; k++) {
                out[n] = ByteLevelAlphabet.charOf(buf[k]);
                changes[n++] = k == 0 ? 0 : 1;
            }
        }
        return text.transform(out, changes, n, 0);
    }
}
