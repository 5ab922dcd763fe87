package dev.srr.fuzz;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.srr.io.Json;

/**
 * Small tokenizer.json documents, one per family of components srr implements (byte-level BPE as in Llama 3 and
 * Qwen, SentencePiece-style BPE with byte fallback as in Llama 2, word-piece-like prefixes and suffixes,
 * Metaspace): seeds from which the fuzzer reaches every component type quickly. They are valid, not realistic.
 */
public final class TinyTokenizers {
    private TinyTokenizers() {
    }

    /** Llama 3 style: Split with the Llama 3 regex, ByteLevel, TemplateProcessing with a BOS, added tokens. */
    public static ObjectNode byteLevel() {
        ObjectNode root = base();
        ArrayNode added = root.putArray("added_tokens");
        addedToken(added, 300, "<|begin_of_text|>", true);
        addedToken(added, 301, "<|eot_id|>", true);
        added.addObject().put("id", 302).put("content", " hello").put("single_word", true).put("lstrip", true)
                .put("rstrip", false).put("normalized", true).put("special", false);
        root.putObject("normalizer").put("type", "NFC");
        ObjectNode pre = root.putObject("pre_tokenizer").put("type", "Sequence");
        ArrayNode steps = pre.putArray("pretokenizers");
        ObjectNode split = steps.addObject().put("type", "Split").put("behavior", "Isolated").put("invert", false);
        split.putObject("pattern").put("Regex", "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+");
        steps.addObject().put("type", "ByteLevel").put("add_prefix_space", false).put("trim_offsets", true).put("use_regex", false);
        ObjectNode post = root.putObject("post_processor").put("type", "Sequence");
        ArrayNode processors = post.putArray("processors");
        processors.addObject().put("type", "ByteLevel").put("add_prefix_space", true).put("trim_offsets", false);
        processors.add(template("<|begin_of_text|>", 300));
        root.putObject("decoder").put("type", "ByteLevel");
        ObjectNode model = bpe(root);
        ObjectNode vocab = model.putObject("vocab");
        int[] bytes = byteAlphabet();
        for (int b = 0; b < 256; b++) vocab.put(new String(Character.toChars(bytes[b])), b);
        String g = new String(Character.toChars(bytes[' ']));
        String[][] merges = {{g, "t"}, {"h", "e"}, {g + "t", "he"}, {"i", "n"}, {g, "w"}, {"o", "r"}, {g + "w", "or"}, {"l", "d"}};
        mergesInto(model, vocab, merges, 256, false);
        return root;
    }

    /** Llama 2 style: Prepend and Replace normalizers, byte_fallback, an unknown token, a decoder sequence. */
    public static ObjectNode sentencePiece() {
        ObjectNode root = base();
        ArrayNode added = root.putArray("added_tokens");
        addedToken(added, 0, "<unk>", true);
        addedToken(added, 1, "<s>", true);
        addedToken(added, 2, "</s>", true);
        ObjectNode norm = root.putObject("normalizer").put("type", "Sequence");
        ArrayNode ns = norm.putArray("normalizers");
        ns.addObject().put("type", "Prepend").put("prepend", "\u2581");
        ObjectNode replace = ns.addObject().put("type", "Replace").put("content", "\u2581");
        replace.putObject("pattern").put("String", " ");
        root.putObject("post_processor").setAll(template("<s>", 1));
        ObjectNode dec = root.putObject("decoder").put("type", "Sequence");
        ArrayNode ds = dec.putArray("decoders");
        ObjectNode r = ds.addObject().put("type", "Replace").put("content", " ");
        r.putObject("pattern").put("String", "\u2581");
        ds.addObject().put("type", "ByteFallback");
        ds.addObject().put("type", "Fuse");
        ds.addObject().put("type", "Strip").put("content", " ").put("start", 1).put("stop", 0);
        ObjectNode model = bpe(root).put("unk_token", "<unk>").put("fuse_unk", true).put("byte_fallback", true);
        ObjectNode vocab = model.putObject("vocab");
        vocab.put("<unk>", 0).put("<s>", 1).put("</s>", 2);
        for (int b = 0; b < 256; b++) vocab.put(String.format("<0x%02X>", b), 3 + b);
        int id = 259;
        for (String s : new String[]{"\u2581", "t", "h", "e", "l", "o", "w", "r", "d", "i", "n"}) vocab.put(s, id++);
        String[][] merges = {{"\u2581", "t"}, {"h", "e"}, {"\u2581t", "he"}, {"l", "l"}, {"\u2581", "w"}, {"o", "r"}};
        mergesInto(model, vocab, merges, id, false);
        return root;
    }

    /** Lower-casing and Unicode normalizers, punctuation and digit splitting, subword prefix and word suffix. */
    public static ObjectNode wordPieceLike() {
        ObjectNode root = base();
        root.putArray("added_tokens");
        ObjectNode norm = root.putObject("normalizer").put("type", "Sequence");
        ArrayNode ns = norm.putArray("normalizers");
        ns.addObject().put("type", "NFKD");
        ns.addObject().put("type", "Lowercase");
        ns.addObject().put("type", "Strip").put("strip_left", true).put("strip_right", true);
        ObjectNode replace = ns.addObject().put("type", "Replace").put("content", " ");
        replace.putObject("pattern").put("Regex", "\\s+");
        ObjectNode pre = root.putObject("pre_tokenizer").put("type", "Sequence");
        ArrayNode ps = pre.putArray("pretokenizers");
        ps.addObject().put("type", "WhitespaceSplit");
        ps.addObject().put("type", "Punctuation").put("behavior", "Isolated");
        ps.addObject().put("type", "Digits").put("individual_digits", true);
        ObjectNode model = bpe(root).put("unk_token", "[UNK]").put("continuing_subword_prefix", "##")
                .put("end_of_word_suffix", "</w>").put("ignore_merges", true);
        ObjectNode vocab = model.putObject("vocab");
        vocab.put("[UNK]", 0);
        int id = 1;
        for (char c = 'a'; c <= 'z'; c++) {
            vocab.put(String.valueOf(c), id++);
            vocab.put("##" + c, id++);
            vocab.put(c + "</w>", id++);
            vocab.put("##" + c + "</w>", id++);
        }
        String[][] merges = {{"t", "##h"}, {"th", "##e</w>"}, {"h", "##e"}, {"i", "##n</w>"}};
        mergesInto(model, vocab, merges, id, true);
        return root;
    }

    /** Metaspace pre-tokenizer and decoder, Whitespace splitting. */
    public static ObjectNode metaspace() {
        ObjectNode root = base();
        root.putArray("added_tokens");
        ObjectNode pre = root.putObject("pre_tokenizer").put("type", "Sequence");
        ArrayNode ps = pre.putArray("pretokenizers");
        ps.addObject().put("type", "Whitespace");
        ps.addObject().put("type", "Metaspace").put("replacement", "\u2581").put("prepend_scheme", "first").put("split", true);
        root.putObject("decoder").put("type", "Metaspace").put("replacement", "\u2581").put("prepend_scheme", "first")
                .put("split", true);
        ObjectNode model = bpe(root).put("unk_token", "<unk>");
        ObjectNode vocab = model.putObject("vocab");
        vocab.put("<unk>", 0);
        int id = 1;
        for (String s : new String[]{"\u2581", "h", "e", "l", "o", "w", "r", "d", "t"}) vocab.put(s, id++);
        String[][] merges = {{"\u2581", "h"}, {"e", "l"}, {"\u2581h", "el"}, {"l", "o"}};
        mergesInto(model, vocab, merges, id, false);
        return root;
    }

    private static ObjectNode base() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        return root;
    }

    private static ObjectNode bpe(ObjectNode root) {
        return root.putObject("model").put("type", "BPE").putNull("dropout").put("fuse_unk", false).put("byte_fallback", false);
    }

    private static void addedToken(ArrayNode added, int id, String content, boolean special) {
        added.addObject().put("id", id).put("content", content).put("single_word", false).put("lstrip", false)
                .put("rstrip", false).put("normalized", false).put("special", special);
    }

    private static ObjectNode template(String bos, int id) {
        ObjectNode t = Json.MAPPER.createObjectNode().put("type", "TemplateProcessing");
        ArrayNode single = t.putArray("single");
        single.addObject().putObject("SpecialToken").put("id", bos).put("type_id", 0);
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        t.putArray("pair");
        ObjectNode special = t.putObject("special_tokens").putObject(bos).put("id", bos);
        special.putArray("ids").add(id);
        special.putArray("tokens").add(bos);
        return t;
    }

    /** Adds the merged tokens to the vocabulary from {@code nextId} on and lists the merges. */
    private static void mergesInto(ObjectNode model, ObjectNode vocab, String[][] merges, int nextId, boolean asPairs) {
        ArrayNode list = model.putArray("merges");
        for (String[] m : merges) {
            String merged = m[0] + (m[1].startsWith("##") ? m[1].substring(2) : m[1]);
            if (!vocab.has(merged)) vocab.put(merged, nextId++);
            if (asPairs) list.addArray().add(m[0]).add(m[1]);
            else list.add(m[0] + " " + m[1]);
        }
    }

    /** GPT-2's printable stand-ins for the 256 byte values. */
    private static int[] byteAlphabet() {
        int[] map = new int[256];
        int extra = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            map[b] = printable ? b : 256 + extra++;
        }
        return map;
    }
}
