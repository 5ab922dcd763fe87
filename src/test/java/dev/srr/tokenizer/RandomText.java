package dev.srr.tokenizer;

import java.util.List;
import java.util.Random;

/**
 * Random strings built to stress tokenizers: mixed scripts, emoji sequences, combining marks (composed and
 * decomposed), runs of ASCII and Unicode white space, digits, contractions in mixed case, and text that
 * looks like special tokens. Only long-assigned Unicode blocks are used, so that differences between the
 * Unicode versions of Java and of the Rust oracle do not count as mismatches.
 */
final class RandomText {
    private static final List<String> WORDS = List.of("the", "Hello", "world", "safety", "model", "don", "I", "YOU",
            "it", "We", "they", "lock", "bomb", "token", "JSON", "http", "example", "über", "naïve", "résumé");
    private static final List<String> CONTRACTIONS = List.of("'s", "'t", "'re", "'ve", "'m", "'ll", "'d", "'S", "'T",
            "'RE", "'Ve", "'M", "'LL", "'D", "'x", "’s", "'");
    private static final List<String> SPACES = List.of(" ", " ", " ", "  ", "   ", "\n", "\n\n", "\r\n", "\t", "\t\t",
            " \n", "\n ", "\u00A0", "\u2009", "\u3000", "\u2028", "\u0085", "\u200B", "\uFEFF", "\u000B", "\f",
            "\u1680", "\u202F", "\u205F", "\r");
    private static final List<String> SPECIALS = List.of("<|im_start|>", "<|im_end|>", "<|endoftext|>", "<s>", "</s>",
            "<unk>", "<|begin_of_text|>", "<|eot_id|>", "<|start_header_id|>", "<|end_header_id|>", "<|im_",
            "[INST]", "[/INST]", "<<SYS>>", "<think>", "</think>", "<|reserved_special_token_5|>", "<0x41>", "▁", "Ġ");
    private static final List<String> EMOJI = List.of("👍", "👍🏽", "🎉", "🤖", "👨\u200D👩\u200D👧", "🇫🇷", "❤️",
            "☺", "🧑🏿\u200D💻", "😀", "🫠", "✅", "🔥");
    /** Inclusive code point ranges of long-stable scripts and symbols. */
    private static final int[][] RANGES = {
            {0x21, 0x7E}, {0xA1, 0xFF}, {0x100, 0x17F}, {0x180, 0x24F}, {0x370, 0x3FF}, {0x400, 0x4FF},
            {0x531, 0x556}, {0x5D0, 0x5EA}, {0x620, 0x64A}, {0x660, 0x669}, {0x905, 0x939}, {0x966, 0x96F},
            {0xE01, 0xE30}, {0x10A0, 0x10C5}, {0x1E00, 0x1EFF}, {0x2010, 0x2027}, {0x2070, 0x209C},
            {0x20A0, 0x20B5}, {0x2150, 0x218B}, {0x2190, 0x21FF}, {0x2200, 0x22FF}, {0x2460, 0x24FF},
            {0x2500, 0x257F}, {0x3041, 0x3096}, {0x30A1, 0x30FA}, {0x3105, 0x312D}, {0x4E00, 0x9FA5},
            {0xAC00, 0xD7A3}, {0xFB00, 0xFB06}, {0xFF01, 0xFF5E}, {0xFF61, 0xFF9F}, {0x1F300, 0x1F5FF},
            {0x1D400, 0x1D4FF}, {0x20000, 0x2A6D6},
    };
    private static final int[] COMBINING = {0x300, 0x301, 0x302, 0x303, 0x308, 0x30A, 0x327, 0x328, 0x323,
            0x31B, 0x345, 0x93C, 0x94D, 0xE31, 0xE48, 0x3099, 0x309A, 0x20DD, 0xFE0F, 0x1F3FB};
    private static final String[] ODD = {"ſ", "K", "İ", "ı", "ß", "ẞ", "Ω", "Å", "ﬁ", "ﬆ", "ǅ", "Σ", "ς", "ㄱ", "\u1100\u1161\u11A8",
            "ᄀ", "가\u11A8", "e\u0301", "a\u0308\u0301", "\u0301", "ｶﾞ", "①", "½", "٣", "𝟘", "\u00AD", "\u2060"};

    private final Random random;

    RandomText(long seed) {
        random = new Random(seed);
    }

    String next() {
        int parts = 1 + random.nextInt(12);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < parts; i++) {
            switch (random.nextInt(11)) {
                case 0, 1 -> sb.append(pick(WORDS));
                case 2 -> sb.append(pick(WORDS)).append(pick(CONTRACTIONS));
                case 3 -> sb.append(pick(SPACES));
                case 4 -> sb.append(digits());
                case 5 -> sb.append(pick(SPECIALS));
                case 6 -> sb.append(pick(EMOJI));
                case 7 -> sb.append(ODD[random.nextInt(ODD.length)]);
                case 8 -> sb.appendCodePoint(COMBINING[random.nextInt(COMBINING.length)]);
                default -> {
                    int[] r = RANGES[random.nextInt(RANGES.length)];
                    int n = 1 + random.nextInt(6);
                    for (int k = 0; k < n; k++) sb.appendCodePoint(r[0] + random.nextInt(r[1] - r[0] + 1));
                }
            }
        }
        return sb.toString();
    }

    private String digits() {
        int n = 1 + random.nextInt(8);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) sb.append((char) ('0' + random.nextInt(10)));
        if (random.nextInt(4) == 0) sb.append(random.nextBoolean() ? '.' : ',').append(random.nextInt(1000));
        return sb.toString();
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }
}
