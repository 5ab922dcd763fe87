package dev.srr.tokenizer;

import java.util.Arrays;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a Split, Replace or Metaspace step looks for: its matches as [start, end) code point pairs. */
interface TextPattern {

    /** Non-overlapping matches, left to right, flattened as start0, end0, start1, end1, ... */
    int[] findMatches(NormalizedText text);

    static TextPattern literal(String literal) {
        return new Literal(literal);
    }

    static TextPattern regex(Pattern pattern) {
        return new Regex(pattern);
    }

    /** Every code point that satisfies {@code test} is a match of its own. */
    static TextPattern eachCodePoint(IntPredicate test) {
        return text -> {
            int[] cps = text.codePoints();
            int[] out = new int[8];
            int n = 0;
            for (int i = 0; i < cps.length; i++) {
                if (test.test(cps[i])) {
                    if (n + 2 > out.length) out = Arrays.copyOf(out, out.length * 2);
                    out[n++] = i;
                    out[n++] = i + 1;
                }
            }
            return Arrays.copyOf(out, n);
        };
    }

    /** Maps UTF-16 indices of {@code s} to code point indices (identity when there are no surrogates). */
    final class CharToCodePoint {
        private final int[] map;

        CharToCodePoint(String s, int codePoints) {
            if (s.length() == codePoints) {
                map = null;
            } else {
                map = new int[s.length() + 1];
                int cp = 0;
                for (int i = 0; i < s.length(); i++) {
                    map[i] = cp;
                    if (!Character.isHighSurrogate(s.charAt(i)) || i + 1 >= s.length()
                            || !Character.isLowSurrogate(s.charAt(i + 1))) {
                        cp++;
                    }
                }
                map[s.length()] = cp;
            }
        }

        int at(int charIndex) {
            return map == null ? charIndex : map[charIndex];
        }
    }

    record Literal(String literal) implements TextPattern {
        @Override
        public int[] findMatches(NormalizedText text) {
            if (literal.isEmpty()) return new int[0];
            String s = text.toString();
            int from = s.indexOf(literal);
            if (from < 0) return new int[0];
            CharToCodePoint index = new CharToCodePoint(s, text.length());
            int[] out = new int[8];
            int n = 0;
            while (from >= 0) {
                if (n + 2 > out.length) out = Arrays.copyOf(out, out.length * 2);
                out[n++] = index.at(from);
                out[n++] = index.at(from + literal.length());
                from = s.indexOf(literal, from + literal.length());
            }
            return Arrays.copyOf(out, n);
        }
    }

    record Regex(Pattern pattern) implements TextPattern {
        @Override
        public int[] findMatches(NormalizedText text) {
            String s = text.toString();
            Matcher m = pattern.matcher(s);
            CharToCodePoint index = null;
            int[] out = new int[16];
            int n = 0;
            while (m.find()) {
                if (m.end() == m.start()) continue; // an empty match splits nothing
                if (index == null) index = new CharToCodePoint(s, text.length());
                if (n + 2 > out.length) out = Arrays.copyOf(out, out.length * 2);
                out[n++] = index.at(m.start());
                out[n++] = index.at(m.end());
            }
            return Arrays.copyOf(out, n);
        }
    }
}
