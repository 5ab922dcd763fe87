package dev.srr.tokenizer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.srr.SrrException;
import dev.srr.io.GgufMetadata;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code tokenizer.json}, {@code tokenizer_config.json} and {@code generation_config.json} that a GGUF file's
 * {@code tokenizer.*} metadata describes, so a GGUF tokenizer runs through the same pipeline as a Hugging Face
 * folder's (and {@code srr convert} can write them out).
 *
 * <p>The construction follows transformers' GGUF tokenizer loading ({@code integrations/gguf}):
 * <ul>
 *   <li>{@code tokenizer.ggml.model = gpt2}: byte-level BPE over the file's tokens and merges; the pre-tokenizer
 *       is chosen by {@code tokenizer.ggml.pre} (see {@link #preTokenizer}); an unknown value is refused rather than
 *       guessed, since a wrong split silently changes the ids.</li>
 *   <li>{@code tokenizer.ggml.model = llama}: SentencePiece-style BPE with byte fallback and a {@code ▁} prefix
 *       (Metaspace, prepend only at the start unless {@code tokenizer.ggml.add_space_prefix} is false); merges
 *       from the file, or derived from the vocabulary and the scores when the file has none.</li>
 *   <li>Tokens marked CONTROL become special added tokens, USER_DEFINED ones plain added tokens;
 *       {@code add_bos_token}/{@code add_eos_token} become the post-processor's template.</li>
 *   <li>End of generation: the eos id plus llama.cpp's end-of-turn and end-of-message ids when present.</li>
 * </ul>
 */
public record GgufTokenizerFiles(ObjectNode tokenizerJson, ObjectNode tokenizerConfig, ObjectNode generationConfig) {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final int CONTROL = 3;
    private static final int USER_DEFINED = 4;

    private static final String GPT2_WORDS = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)";
    private static final String LLAMA3_SPLIT = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    private static final String QWEN2_SPLIT = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    private static final String QWEN35_SPLIT = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?[\\p{L}\\p{M}]+|\\p{N}"
            + "| ?[^\\s\\p{L}\\p{M}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    private static final String TEKKEN_SPLIT = "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+"
            + "|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*"
            + "|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    private static final String GPT4O_SPLIT = "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?"
            + "|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?"
            + "|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    /** {@code tokenizer.ggml.pre} values and the split regex each stands for (null: GPT-2's byte-level regex). */
    private static final Map<String, String> SPLITS = new LinkedHashMap<>();

    static {
        for (String n : List.of("llama3", "llama-v3", "llama-bpe", "falcon3", "smaug-bpe", "dbrx", "pixtral")) SPLITS.put(n, LLAMA3_SPLIT);
        for (String n : List.of("qwen2", "deepseek-r1-qwen", "megrez")) SPLITS.put(n, QWEN2_SPLIT);
        SPLITS.put("qwen35", QWEN35_SPLIT);
        SPLITS.put("tekken", TEKKEN_SPLIT);
        for (String n : List.of("gpt-4o", "llama4")) SPLITS.put(n, GPT4O_SPLIT);
    }

    /**
     * Builds the three files from {@code m}.
     *
     * @throws SrrException naming the file and key for a missing vocabulary, an unknown tokenizer model or
     *                      pre-tokenizer, ids outside the vocabulary, or arrays of mismatched lengths
     */
    public static GgufTokenizerFiles from(GgufMetadata m) {
        String model = m.string("tokenizer.ggml.model");
        List<String> tokens = m.strings("tokenizer.ggml.tokens");
        if (tokens.isEmpty()) throw new SrrException(m.file() + ": metadata 'tokenizer.ggml.tokens' is empty");
        int[] types = m.has("tokenizer.ggml.token_type") ? m.ints("tokenizer.ggml.token_type") : new int[tokens.size()];
        if (types.length != tokens.size()) {
            throw new SrrException(m.file() + ": metadata 'tokenizer.ggml.token_type' has " + types.length + " entries for "
                    + tokens.size() + " tokens");
        }
        ObjectNode json = JSON.objectNode();
        json.put("version", "1.0");
        json.putNull("truncation");
        json.putNull("padding");
        boolean byteLevel;
        switch (model) {
            case "gpt2" -> {
                byteLevel = true;
                json.putNull("normalizer");
                json.set("pre_tokenizer", preTokenizer(m));
                json.set("decoder", byteLevel(true));
                json.set("model", bpe(byteLevelVocab(tokens), merges(m, null, null), false, null));
            }
            case "llama" -> {
                byteLevel = false;
                boolean prefix = m.optBool("tokenizer.ggml.add_space_prefix", true);
                json.putNull("normalizer");
                ObjectNode meta = JSON.objectNode().put("type", "Metaspace").put("replacement", "▁")
                        .put("prepend_scheme", prefix ? "first" : "never").put("split", false);
                json.set("pre_tokenizer", meta);
                ArrayNode decoders = JSON.arrayNode();
                decoders.add(JSON.objectNode().put("type", "Replace")
                        .<ObjectNode>set("pattern", JSON.objectNode().put("String", "▁")).put("content", " "));
                decoders.add(JSON.objectNode().put("type", "ByteFallback"));
                decoders.add(JSON.objectNode().put("type", "Fuse"));
                if (prefix) decoders.add(JSON.objectNode().put("type", "Strip").put("content", " ").put("start", 1).put("stop", 0));
                json.set("decoder", JSON.objectNode().put("type", "Sequence").set("decoders", decoders));
                float[] scores = m.has("tokenizer.ggml.scores") ? m.floats("tokenizer.ggml.scores") : null;
                if (scores != null && scores.length != tokens.size()) {
                    throw new SrrException(m.file() + ": metadata 'tokenizer.ggml.scores' has " + scores.length + " entries for "
                            + tokens.size() + " tokens");
                }
                String unk = tokenAt(m, tokens, "tokenizer.ggml.unknown_token_id");
                json.set("model", bpe(plainVocab(tokens), merges(m, tokens, scores), true, unk == null ? "<unk>" : unk));
            }
            default -> throw new SrrException(m.file() + ": metadata 'tokenizer.ggml.model' '" + model
                    + "' is not supported (srr builds gpt2 and llama tokenizers)");
        }
        json.set("added_tokens", addedTokens(tokens, types, byteLevel));

        String bos = tokenAt(m, tokens, "tokenizer.ggml.bos_token_id");
        String eos = tokenAt(m, tokens, "tokenizer.ggml.eos_token_id");
        boolean addBos = m.optBool("tokenizer.ggml.add_bos_token", model.equals("llama"));
        boolean addEos = m.optBool("tokenizer.ggml.add_eos_token", false);
        json.set("post_processor", template(addBos ? bos : null, addEos ? eos : null, tokens));

        ObjectNode config = JSON.objectNode();
        putToken(config, "bos_token", bos);
        putToken(config, "eos_token", eos);
        putToken(config, "unk_token", tokenAt(m, tokens, "tokenizer.ggml.unknown_token_id"));
        putToken(config, "pad_token", tokenAt(m, tokens, "tokenizer.ggml.padding_token_id"));
        config.put("add_bos_token", addBos);
        config.put("add_eos_token", addEos);
        config.put("clean_up_tokenization_spaces", false);
        chatTemplates(m, config);

        ObjectNode generation = JSON.objectNode();
        if (bos != null) generation.put("bos_token_id", m.intValue("tokenizer.ggml.bos_token_id", 0, tokens.size() - 1));
        ArrayNode eosIds = JSON.arrayNode();
        Set<Integer> ends = new LinkedHashSet<>();
        for (String key : List.of("tokenizer.ggml.eos_token_id", "tokenizer.ggml.eot_token_id", "tokenizer.ggml.eom_token_id")) {
            if (m.has(key)) ends.add(m.intValue(key, 0, tokens.size() - 1));
        }
        ends.forEach(eosIds::add);
        if (!ends.isEmpty()) generation.set("eos_token_id", eosIds);
        return new GgufTokenizerFiles(json, config, generation);
    }

    /** The pre-tokenizer {@code tokenizer.ggml.pre} names for a byte-level vocabulary. */
    private static ObjectNode preTokenizer(GgufMetadata m) {
        String pre = m.optString("tokenizer.ggml.pre", "default");
        if (pre.equals("default") || pre.equals("gpt2")) return byteLevel(true);
        if (pre.equals("smollm")) {
            // SmolLM's own tokenizer.json: every digit alone, then GPT-2's split (llama.cpp's smollm regexes agree)
            ArrayNode seq = JSON.arrayNode();
            seq.add(JSON.objectNode().put("type", "Digits").put("individual_digits", true));
            seq.add(byteLevel(true));
            return JSON.objectNode().put("type", "Sequence").set("pretokenizers", seq);
        }
        String split = SPLITS.get(pre);
        if (split == null) {
            List<String> known = new ArrayList<>(List.of("default", "gpt2", "smollm"));
            known.addAll(SPLITS.keySet());
            throw new SrrException(m.file() + ": metadata 'tokenizer.ggml.pre' '" + pre + "' names a pre-tokenizer srr does not "
                    + "know (known: " + String.join(", ", known) + ")");
        }
        ArrayNode seq = JSON.arrayNode();
        seq.add(JSON.objectNode().put("type", "Split").<ObjectNode>set("pattern", JSON.objectNode().put("Regex", split))
                .put("behavior", "Isolated").put("invert", false));
        seq.add(byteLevel(false));
        return JSON.objectNode().put("type", "Sequence").set("pretokenizers", seq);
    }

    /** GPT-2's byte-level component, usable as pre-tokenizer (with or without its own regex) and as decoder. */
    private static ObjectNode byteLevel(boolean useRegex) {
        return JSON.objectNode().put("type", "ByteLevel").put("add_prefix_space", false).put("trim_offsets", true)
                .put("use_regex", useRegex);
    }

    private static ObjectNode bpe(ObjectNode vocab, ArrayNode merges, boolean sentencePiece, String unk) {
        ObjectNode bpe = JSON.objectNode().put("type", "BPE").putNull("dropout");
        if (unk == null) bpe.putNull("unk_token");
        else bpe.put("unk_token", unk);
        bpe.put("continuing_subword_prefix", "").put("end_of_word_suffix", "").put("fuse_unk", sentencePiece)
                .put("byte_fallback", sentencePiece).put("ignore_merges", false);
        bpe.set("vocab", vocab);
        bpe.set("merges", merges);
        return bpe;
    }

    private static ObjectNode plainVocab(List<String> tokens) {
        ObjectNode vocab = JSON.objectNode();
        for (int i = 0; i < tokens.size(); i++) vocab.put(tokens.get(i), i);
        return vocab;
    }

    /**
     * A byte-level vocabulary: tokens already spelled in GPT-2's byte alphabet stay as they are; any other token
     * (a special token with characters outside the alphabet) is spelled byte by byte, as transformers does.
     */
    private static ObjectNode byteLevelVocab(List<String> tokens) {
        ObjectNode vocab = JSON.objectNode();
        for (int i = 0; i < tokens.size(); i++) vocab.put(inByteAlphabet(tokens.get(i)) ? tokens.get(i) : spellBytes(tokens.get(i)), i);
        return vocab;
    }

    private static boolean inByteAlphabet(String token) {
        return token.codePoints().allMatch(c -> ByteLevelAlphabet.byteOf(c) >= 0);
    }

    private static String spellBytes(String token) {
        StringBuilder sb = new StringBuilder();
        for (byte b : token.getBytes(java.nio.charset.StandardCharsets.UTF_8)) sb.append(ByteLevelAlphabet.charOf(b));
        return sb.toString();
    }

    /** Merges from the file, or (SentencePiece vocabularies without merges) derived from tokens and scores. */
    private static ArrayNode merges(GgufMetadata m, List<String> tokens, float[] scores) {
        ArrayNode out = JSON.arrayNode();
        if (m.has("tokenizer.ggml.merges")) {
            for (String merge : m.strings("tokenizer.ggml.merges")) {
                int space = merge.indexOf(' ', 1);
                if (space < 0) throw new SrrException(m.file() + ": metadata 'tokenizer.ggml.merges' holds '" + merge + "', not two tokens");
                out.add(JSON.arrayNode().add(merge.substring(0, space)).add(merge.substring(space + 1)));
            }
            return out;
        }
        if (tokens == null) throw new SrrException(m.file() + ": metadata 'tokenizer.ggml.merges' is missing (a gpt2 tokenizer needs it)");
        if (scores == null) throw new SrrException(m.file() + ": a llama tokenizer needs 'tokenizer.ggml.merges' or 'tokenizer.ggml.scores'");
        for (String[] pair : mergesFromScores(tokens, scores)) out.add(JSON.arrayNode().add(pair[0]).add(pair[1]));
        return out;
    }

    /**
     * Merges implied by a vocabulary with scores: every split of a token into two tokens of the vocabulary,
     * best-scoring result first, then by the pieces' lengths, ties in vocabulary order. The same rule as
     * transformers' {@code generate_merges}, splitting at code points.
     */
    static List<String[]> mergesFromScores(List<String> tokens, float[] scores) {
        Map<String, Integer> ids = new HashMap<>();
        Map<String, Float> scoreOf = new LinkedHashMap<>();
        for (int i = 0; i < tokens.size(); i++) {
            ids.put(tokens.get(i), i);
            scoreOf.put(tokens.get(i), scores[i]);
        }
        record Merge(String left, String right, float score, int leftLength, int rightLength) {
        }
        List<Merge> merges = new ArrayList<>();
        for (var e : scoreOf.entrySet()) {
            String token = e.getKey();
            int[] cps = token.codePoints().toArray();
            List<Merge> local = new ArrayList<>();
            for (int cut = 1; cut < cps.length; cut++) {
                String left = new String(cps, 0, cut);
                String right = new String(cps, cut, cps.length - cut);
                if (ids.containsKey(left) && ids.containsKey(right)) local.add(new Merge(left, right, e.getValue(), cut, cps.length - cut));
            }
            local.sort(Comparator.comparingInt((Merge x) -> ids.get(x.left)).thenComparingInt(x -> ids.get(x.right)));
            merges.addAll(local);
        }
        merges.sort(Comparator.comparingDouble((Merge x) -> x.score).thenComparingInt(x -> x.leftLength)
                .thenComparingInt(x -> x.rightLength).reversed());
        List<String[]> out = new ArrayList<>(merges.size());
        for (Merge x : merges) out.add(new String[]{x.left, x.right});
        return out;
    }

    private static ArrayNode addedTokens(List<String> tokens, int[] types, boolean byteLevel) {
        ArrayNode added = JSON.arrayNode();
        for (int i = 0; i < tokens.size(); i++) {
            boolean control = types[i] == CONTROL && (!byteLevel || inByteAlphabet(tokens.get(i)));
            if (!control && types[i] != USER_DEFINED) continue;
            added.add(JSON.objectNode().put("id", i).put("content", tokens.get(i)).put("single_word", false)
                    .put("lstrip", false).put("rstrip", false).put("normalized", false).put("special", control));
        }
        return added;
    }

    private static ObjectNode template(String bos, String eos, List<String> tokens) {
        ArrayNode single = JSON.arrayNode();
        ObjectNode specials = JSON.objectNode();
        if (bos != null) single.add(special(bos, specials, tokens));
        single.add(JSON.objectNode().set("Sequence", JSON.objectNode().put("id", "A").put("type_id", 0)));
        if (eos != null) single.add(special(eos, specials, tokens));
        ObjectNode t = JSON.objectNode().put("type", "TemplateProcessing");
        t.set("single", single);
        t.set("pair", single.deepCopy());
        t.set("special_tokens", specials);
        return t;
    }

    private static ObjectNode special(String token, ObjectNode specials, List<String> tokens) {
        specials.set(token, JSON.objectNode().put("id", token).<ObjectNode>set("ids", JSON.arrayNode().add(tokens.indexOf(token)))
                .set("tokens", JSON.arrayNode().add(token)));
        return JSON.objectNode().set("SpecialToken", JSON.objectNode().put("id", token).put("type_id", 0));
    }

    private static String tokenAt(GgufMetadata m, List<String> tokens, String key) {
        if (!m.has(key)) return null;
        return tokens.get(m.intValue(key, 0, tokens.size() - 1));
    }

    private static void putToken(ObjectNode config, String field, String token) {
        if (token == null) config.putNull(field);
        else config.put(field, token);
    }

    /** {@code tokenizer.chat_template}, plus named templates ({@code tokenizer.chat_template.<name>}) as a list. */
    private static void chatTemplates(GgufMetadata m, ObjectNode config) {
        String prefix = "tokenizer.chat_template.";
        List<String> named = m.keys().stream().filter(k -> k.startsWith(prefix)).toList();
        if (named.isEmpty()) {
            if (m.has("tokenizer.chat_template")) config.put("chat_template", m.string("tokenizer.chat_template"));
            return;
        }
        ArrayNode list = JSON.arrayNode();
        if (m.has("tokenizer.chat_template")) list.add(JSON.objectNode().put("name", "default").put("template", m.string("tokenizer.chat_template")));
        for (String k : named) list.add(JSON.objectNode().put("name", k.substring(prefix.length())).put("template", m.string(k)));
        config.set("chat_template", list);
    }
}
