package dev.srr.tokenizer;

import java.util.List;

/** SentencePiece-style pre-tokenizer: spaces become the replacement character (▁), which starts each word. */
record MetaspacePreTokenizer(String replacement, String prependScheme, boolean splitWords) implements PreTokenizer {

    static MetaspacePreTokenizer fromJson(JsonConfig config) {
        String replacement = config.character("replacement", "\u2581");
        String scheme = config.text("prepend_scheme", "always");
        if (!config.bool("add_prefix_space", true)) scheme = "never";
        if (!List.of("always", "first", "never").contains(scheme)) {
            throw config.error("unknown prepend_scheme \"" + scheme + "\"");
        }
        return new MetaspacePreTokenizer(replacement, scheme, config.bool("split", true));
    }

    @Override
    public void split(NormalizedText piece, List<NormalizedText> out) {
        piece = piece.replace(TextPattern.literal(" "), replacement);
        int rep = replacement.codePointAt(0);
        boolean startsWithReplacement = !piece.isEmpty() && piece.codePointAt(0) == rep;
        if (!startsWithReplacement) {
            if (prependScheme.equals("always")
                    || (prependScheme.equals("first") && piece.originalBegin() == 0)) {
                piece = piece.prepend(replacement);
            }
        }
        if (splitWords) {
            SplitBehavior.MERGED_WITH_NEXT.split(piece, TextPattern.eachCodePoint(cp -> cp == rep), false, out);
        } else if (!piece.isEmpty()) {
            out.add(piece);
        }
    }
}
