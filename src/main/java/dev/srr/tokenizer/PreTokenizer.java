package dev.srr.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The "pre_tokenizer" of tokenizer.json: splits normalized text into the words the model encodes one by one. */
interface PreTokenizer {

    /** Splits one piece, appending its non-empty parts to {@code out}. */
    void split(NormalizedText piece, List<NormalizedText> out);

    /** GPT-2's word pattern, used by ByteLevel when use_regex is true. */
    Pattern GPT2_WORDS = OnigRegex.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+", "ByteLevel");
    Pattern WHITESPACE_WORDS = OnigRegex.compile("\\w+|[^\\w\\s]+", "Whitespace");

    static PreTokenizer fromJson(JsonConfig config) {
        String type = config.type();
        return switch (type) {
            case "Split" -> {
                TextPattern pattern = config.pattern("pattern");
                SplitBehavior behavior = SplitBehavior.fromJson(config, "behavior");
                boolean invert = config.bool("invert", false);
                yield (piece, out) -> behavior.split(piece, pattern, invert, out);
            }
            case "ByteLevel" -> new ByteLevelPreTokenizer(config.bool("add_prefix_space", true),
                    config.bool("use_regex", true));
            case "Metaspace" -> MetaspacePreTokenizer.fromJson(config);
            case "Digits" -> {
                SplitBehavior behavior = config.bool("individual_digits", false)
                        ? SplitBehavior.ISOLATED : SplitBehavior.CONTIGUOUS;
                TextPattern digits = TextPattern.eachCodePoint(PreTokenizer::isNumeric);
                yield (piece, out) -> behavior.split(piece, digits, false, out);
            }
            case "Whitespace" -> (piece, out) ->
                    SplitBehavior.REMOVED.split(piece, TextPattern.regex(WHITESPACE_WORDS), true, out);
            case "WhitespaceSplit" -> (piece, out) ->
                    SplitBehavior.REMOVED.split(piece, TextPattern.eachCodePoint(WhiteSpace::is), false, out);
            case "Punctuation" -> {
                SplitBehavior behavior = config.node().has("behavior")
                        ? SplitBehavior.fromJson(config, "behavior") : SplitBehavior.ISOLATED;
                TextPattern punctuation = TextPattern.eachCodePoint(PreTokenizer::isPunctuation);
                yield (piece, out) -> behavior.split(piece, punctuation, false, out);
            }
            case "Sequence" -> {
                List<PreTokenizer> steps = new ArrayList<>();
                JsonNode list = config.array("pretokenizers");
                for (int i = 0; i < list.size(); i++) {
                    steps.add(fromJson(config.child("pretokenizers[" + i + "]", list.get(i))));
                }
                yield (piece, out) -> {
                    List<NormalizedText> current = List.of(piece);
                    for (PreTokenizer step : steps) {
                        List<NormalizedText> next = new ArrayList<>(current.size() * 2);
                        for (NormalizedText p : current) step.split(p, next);
                        current = next;
                    }
                    out.addAll(current);
                };
            }
            default -> throw config.unsupported(type);
        };
    }

    /** Rust's char::is_numeric: general categories Nd, Nl and No. */
    static boolean isNumeric(int cp) {
        int t = Character.getType(cp);
        return t == Character.DECIMAL_DIGIT_NUMBER || t == Character.LETTER_NUMBER || t == Character.OTHER_NUMBER;
    }

    /** ASCII punctuation or a Unicode punctuation category, as the Punctuation pre-tokenizer defines it. */
    static boolean isPunctuation(int cp) {
        if (cp < 128) return (cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96)
                || (cp >= 123 && cp <= 126);
        int t = Character.getType(cp);
        return t == Character.CONNECTOR_PUNCTUATION || t == Character.DASH_PUNCTUATION
                || t == Character.START_PUNCTUATION || t == Character.END_PUNCTUATION
                || t == Character.INITIAL_QUOTE_PUNCTUATION || t == Character.FINAL_QUOTE_PUNCTUATION
                || t == Character.OTHER_PUNCTUATION;
    }
}
