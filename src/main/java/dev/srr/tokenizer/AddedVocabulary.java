package dev.srr.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds added tokens in text: first those with normalized=false in the raw input, then those with
 * normalized=true in the normalized pieces. Matching is leftmost-longest; single_word, lstrip and rstrip
 * follow Hugging Face tokenizers.
 */
final class AddedVocabulary {
    /** A piece of input, either plain text for the model or one matched added token. */
    record Piece(NormalizedText text, AddedToken token) {
    }

    private final Map<Integer, AddedToken> byId = new HashMap<>();
    private final Map<String, AddedToken> byContent = new HashMap<>();
    private final Matcher raw;
    private final Matcher normalized;

    AddedVocabulary(List<AddedToken> tokens, Normalizer normalizer) {
        List<AddedToken> rawTokens = new ArrayList<>();
        List<int[]> rawPatterns = new ArrayList<>();
        List<AddedToken> normTokens = new ArrayList<>();
        List<int[]> normPatterns = new ArrayList<>();
        for (AddedToken t : tokens) {
            byId.put(t.id(), t);
            byContent.put(t.content(), t);
            if (t.content().isEmpty()) continue;
            if (t.normalized()) {
                NormalizedText p = NormalizedText.ofOriginal(t.content(), 0);
                if (normalizer != null) p = normalizer.normalize(p);
                normTokens.add(t);
                normPatterns.add(p.codePoints());
            } else {
                rawTokens.add(t);
                rawPatterns.add(t.content().codePoints().toArray());
            }
        }
        raw = new Matcher(rawTokens, rawPatterns);
        normalized = new Matcher(normTokens, normPatterns);
    }

    AddedToken byId(int id) {
        return byId.get(id);
    }

    AddedToken byContent(String content) {
        return byContent.get(content);
    }

    Iterable<AddedToken> all() {
        return byId.values();
    }

    void splitRaw(NormalizedText text, List<Piece> out) {
        raw.split(text, out);
    }

    void splitNormalized(NormalizedText text, List<Piece> out) {
        normalized.split(text, out);
    }

    private static final class Matcher {
        /** Candidates by first code point, longest first. */
        private final Map<Integer, List<Integer>> byFirst = new HashMap<>();
        private final List<AddedToken> tokens;
        private final List<int[]> patterns;

        Matcher(List<AddedToken> tokens, List<int[]> patterns) {
            this.tokens = tokens;
            this.patterns = patterns;
            for (int i = 0; i < tokens.size(); i++) {
                if (patterns.get(i).length == 0) continue;
                byFirst.computeIfAbsent(patterns.get(i)[0], k -> new ArrayList<>()).add(i);
            }
            for (List<Integer> list : byFirst.values()) {
                list.sort(Comparator.comparingInt((Integer i) -> -patterns.get(i).length));
            }
        }

        void split(NormalizedText text, List<Piece> out) {
            int[] cps = text.codePoints();
            if (byFirst.isEmpty() || cps.length == 0) {
                out.add(new Piece(text, null));
                return;
            }
            int done = 0; // end of what has been emitted so far
            int i = 0;
            while (i < cps.length) {
                List<Integer> candidates = byFirst.get(cps[i]);
                int found = -1;
                if (candidates != null) {
                    for (int c : candidates) {
                        int[] p = patterns.get(c);
                        if (i + p.length <= cps.length && Arrays.equals(cps, i, i + p.length, p, 0, p.length)) {
                            found = c;
                            break;
                        }
                    }
                }
                if (found < 0) {
                    i++;
                    continue;
                }
                AddedToken token = tokens.get(found);
                int start = i;
                int stop = i + patterns.get(found).length;
                i = stop; // the search resumes after this match even if it is discarded
                if (token.singleWord()) {
                    boolean spaceBefore = start == 0 || !isWordChar(cps[start - 1]);
                    boolean spaceAfter = stop == cps.length || !isWordChar(cps[stop]);
                    if (!spaceBefore || !spaceAfter) continue;
                }
                if (token.lstrip()) {
                    int s = start;
                    while (s > 0 && WhiteSpace.is(cps[s - 1])) s--;
                    start = Math.max(s, done);
                }
                if (token.rstrip()) {
                    while (stop < cps.length && WhiteSpace.is(cps[stop])) stop++;
                }
                if (done < start) out.add(new Piece(text.slice(done, start), null));
                out.add(new Piece(text.slice(start, stop), token));
                done = stop;
            }
            if (done < cps.length || done == 0) out.add(new Piece(text.slice(done, cps.length), null));
        }
    }

    /** Rust regex's Unicode \w: alphabetic, marks, decimal digits, connector punctuation, joiners. */
    static boolean isWordChar(int cp) {
        if (Character.isAlphabetic(cp)) return true;
        int t = Character.getType(cp);
        return t == Character.NON_SPACING_MARK || t == Character.COMBINING_SPACING_MARK
                || t == Character.ENCLOSING_MARK || t == Character.DECIMAL_DIGIT_NUMBER
                || t == Character.CONNECTOR_PUNCTUATION || cp == 0x200C || cp == 0x200D;
    }
}
