package dev.srr.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The "normalizer" of tokenizer.json: rewrites text before it is split, keeping alignments. */
interface Normalizer {
    NormalizedText normalize(NormalizedText text);

    static Normalizer fromJson(JsonConfig config) {
        String type = config.type();
        return switch (type) {
            case "NFC" -> t -> UnicodeForms.apply(t, java.text.Normalizer.Form.NFC);
            case "NFD" -> t -> UnicodeForms.apply(t, java.text.Normalizer.Form.NFD);
            case "NFKC" -> t -> UnicodeForms.apply(t, java.text.Normalizer.Form.NFKC);
            case "NFKD" -> t -> UnicodeForms.apply(t, java.text.Normalizer.Form.NFKD);
            case "Lowercase" -> Normalizer::lowercase;
            case "Prepend" -> {
                String prefix = config.text("prepend");
                yield t -> t.prepend(prefix);
            }
            case "Replace" -> {
                TextPattern pattern = config.pattern("pattern");
                String content = config.text("content");
                yield t -> t.replace(pattern, content);
            }
            case "Strip" -> {
                boolean left = config.bool("strip_left", true);
                boolean right = config.bool("strip_right", true);
                yield t -> strip(t, left, right);
            }
            case "Sequence" -> {
                List<Normalizer> steps = new ArrayList<>();
                JsonNode list = config.array("normalizers");
                for (int i = 0; i < list.size(); i++) {
                    steps.add(fromJson(config.child("normalizers[" + i + "]", list.get(i))));
                }
                yield t -> {
                    for (Normalizer step : steps) t = step.normalize(t);
                    return t;
                };
            }
            default -> throw config.unsupported(type);
        };
    }

    /** Lower-cases code point by code point (no context rules), like Rust's char::to_lowercase. */
    private static NormalizedText lowercase(NormalizedText text) {
        int[] in = text.codePoints();
        int[] out = new int[in.length * 3];
        int[] changes = new int[out.length];
        int n = 0;
        for (int cp : in) {
            if (cp < 128) {
                out[n] = Character.toLowerCase(cp);
                changes[n++] = 0;
                continue;
            }
            // One code point alone never meets the final-sigma context, so this is the unconditional mapping.
            int[] lower = new String(Character.toChars(cp)).toLowerCase(Locale.ROOT).codePoints().toArray();
            for (int k = 0; k < lower.length; k++) {
                out[n] = lower[k];
                changes[n++] = k == 0 ? 0 : 1;
            }
        }
        return text.transform(out, changes, n, 0);
    }

    private static NormalizedText strip(NormalizedText text, boolean left, boolean right) {
        int from = 0;
        int to = text.length();
        if (left) while (from < to && WhiteSpace.is(text.codePointAt(from))) from++;
        if (right) while (to > from && WhiteSpace.is(text.codePointAt(to - 1))) to--;
        return from == 0 && to == text.length() ? text : text.keep(from, to);
    }
}
