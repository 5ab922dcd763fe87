package dev.srr.tokenizer;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * NFC/NFD/NFKC/NFKD with alignments, computed the way Hugging Face tokenizers computes them (through the
 * unicode-normalization-alignments crate): decompose each code point (extra code points are insertions),
 * put each run of combining marks in canonical order, then recompose (a composition swallows the mark).
 *
 * <p>Java exposes no decomposition or combining-class tables, so the primitives come from
 * {@link Normalizer} itself: a code point's full decomposition is its NFD/NFKD, a pair composes when its NFC
 * is one code point, and combining classes are compared through how NFD orders two marks. Results are
 * cached per code point. Text that is already normalized is returned untouched without any of this.
 */
final class UnicodeForms {
    private static final ConcurrentHashMap<Long, Integer> COMPOSITIONS = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<Integer, Boolean> NON_STARTERS = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<Long, Integer> CLASS_ORDER = new ConcurrentHashMap<>();

    private UnicodeForms() {
    }

    /** One code point of the output with its change (see {@link NormalizedText}). */
    private record Item(int cp, int change) {
    }

    static NormalizedText apply(NormalizedText text, Normalizer.Form form) {
        if (Normalizer.isNormalized(text.toString(), form)) return text;
        boolean compatible = form == Normalizer.Form.NFKC || form == Normalizer.Form.NFKD;
        boolean compose = form == Normalizer.Form.NFC || form == Normalizer.Form.NFKC;
        List<Item> items = decompose(text.codePoints(), compatible ? Normalizer.Form.NFKD : Normalizer.Form.NFD);
        if (compose) items = recompose(items);
        int[] cps = new int[items.size()];
        int[] changes = new int[items.size()];
        for (int i = 0; i < cps.length; i++) {
            cps[i] = items.get(i).cp();
            changes[i] = items.get(i).change();
        }
        return text.transform(cps, changes, cps.length, 0);
    }

    private static List<Item> decompose(int[] input, Normalizer.Form form) {
        List<Item> out = new ArrayList<>(input.length + 8);
        int pending = 0; // start of the current run of non-starters
        for (int cp : input) {
            int[] parts = cp < 0xC0 && form == Normalizer.Form.NFD ? new int[]{cp}
                    : Normalizer.normalize(new String(Character.toChars(cp)), form).codePoints().toArray();
            for (int k = 0; k < parts.length; k++) {
                if (!isNonStarter(parts[k])) {
                    sortByClass(out, pending);
                    out.add(new Item(parts[k], k == 0 ? 0 : 1));
                    pending = out.size();
                } else {
                    out.add(new Item(parts[k], k == 0 ? 0 : 1));
                }
            }
        }
        sortByClass(out, pending);
        return out;
    }

    /** Stable sort of out[from..] by combining class (canonical ordering). */
    private static void sortByClass(List<Item> out, int from) {
        if (out.size() - from < 2) return;
        List<Item> run = new ArrayList<>(out.subList(from, out.size()));
        run.sort((a, b) -> compareClass(a.cp(), b.cp()));
        for (int i = 0; i < run.size(); i++) out.set(from + i, run.get(i));
    }

    /** Canonical composition, emitting items in the same order (and with the same changes) as the crate. */
    private static List<Item> recompose(List<Item> in) {
        List<Item> out = new ArrayList<>(in.size());
        List<Item> buffer = new ArrayList<>();
        Item composee = null;
        int lastMark = -1; // the last buffered mark, standing for its combining class; -1 if none
        for (Item item : in) {
            int ch = item.cp();
            boolean starter = !isNonStarter(ch);
            if (composee == null) {
                if (!starter) {
                    out.add(item);
                } else {
                    composee = item;
                }
                continue;
            }
            if (lastMark < 0) {
                int composed = compose(composee.cp(), ch);
                if (composed >= 0) {
                    composee = new Item(composed, composee.change() + item.change() - 1);
                    continue;
                }
                if (starter) {
                    out.add(composee);
                    composee = item;
                    continue;
                }
                buffer.add(item);
                lastMark = ch;
                continue;
            }
            if (starter || compareClass(lastMark, ch) >= 0) {
                // Blocked from the composee.
                if (starter) {
                    out.add(composee);
                    out.addAll(buffer);
                    buffer.clear();
                    composee = item;
                    lastMark = -1;
                    continue;
                }
                buffer.add(item);
                lastMark = ch;
                continue;
            }
            int composed = compose(composee.cp(), ch);
            if (composed >= 0) {
                composee = new Item(composed, composee.change() + item.change() - 1);
            } else {
                buffer.add(item);
                lastMark = ch;
            }
        }
        if (composee != null) out.add(composee);
        out.addAll(buffer);
        return out;
    }

    /** The primary composite of a pair, or -1. */
    private static int compose(int a, int b) {
        long key = ((long) a << 32) | b;
        return COMPOSITIONS.computeIfAbsent(key, k -> {
            String pair = new String(Character.toChars(a)) + new String(Character.toChars(b));
            String c = Normalizer.normalize(pair, Normalizer.Form.NFC);
            return c.codePointCount(0, c.length()) == 1 ? c.codePointAt(0) : -1;
        });
    }

    /**
     * Whether a (fully decomposed) code point has a non-zero combining class: NFD moves it before U+0345
     * (class 240) when its class is lower, or moves U+0334 (class 1) before it when its class is higher.
     */
    static boolean isNonStarter(int cp) {
        if (cp < 0x300) return false;
        return NON_STARTERS.computeIfAbsent(cp, c -> {
            String s = new String(Character.toChars(c));
            return Normalizer.normalize("x\u0345" + s, Normalizer.Form.NFD).equals("x" + s + "\u0345")
                    || Normalizer.normalize("x" + s + "\u0334", Normalizer.Form.NFD).equals("x\u0334" + s);
        });
    }

    /** Compares the combining classes of two non-starters through NFD's canonical ordering. */
    private static int compareClass(int a, int b) {
        if (a == b) return 0;
        long key = ((long) a << 32) | b;
        return CLASS_ORDER.computeIfAbsent(key, k -> {
            String sa = new String(Character.toChars(a));
            String sb = new String(Character.toChars(b));
            if (Normalizer.normalize("x" + sa + sb, Normalizer.Form.NFD).equals("x" + sb + sa)) return 1;
            if (Normalizer.normalize("x" + sb + sa, Normalizer.Form.NFD).equals("x" + sa + sb)) return -1;
            return 0;
        });
    }
}
