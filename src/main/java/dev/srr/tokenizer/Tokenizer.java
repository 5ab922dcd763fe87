package dev.srr.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.srr.SrrException;
import dev.srr.io.InputFiles;
import dev.srr.io.Json;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * A Hugging Face {@code tokenizer.json} pipeline in pure Java: added tokens, normalizer, pre-tokenizer,
 * BPE model, post-processor and decoder, each built from the file's description. Component types srr does
 * not implement are refused when the file is loaded, naming the type and the file.
 */
public final class Tokenizer {
    private final Normalizer normalizer;
    private final PreTokenizer preTokenizer;
    private final BpeModel model;
    private final PostProcessor postProcessor;
    private final Decoder decoder;
    private final AddedVocabulary added;

    private Tokenizer(JsonNode root, String file) {
        JsonConfig top = JsonConfig.of(file, "tokenizer", root);
        JsonNode modelNode = root.get("model");
        if (modelNode == null || !modelNode.isObject()) throw top.error("missing \"model\"");
        normalizer = present(root, "normalizer") ? Normalizer.fromJson(top.child("normalizer", root.get("normalizer")))
                : null;
        preTokenizer = present(root, "pre_tokenizer")
                ? PreTokenizer.fromJson(top.child("pre_tokenizer", root.get("pre_tokenizer"))) : null;
        model = BpeModel.fromJson(JsonConfig.of(file, "model", modelNode));
        postProcessor = present(root, "post_processor")
                ? PostProcessor.fromJson(top.child("post_processor", root.get("post_processor"))) : null;
        decoder = present(root, "decoder") ? Decoder.fromJson(top.child("decoder", root.get("decoder"))) : null;
        List<AddedToken> tokens = new ArrayList<>();
        if (present(root, "added_tokens")) {
            JsonNode list = top.array("added_tokens");
            for (int i = 0; i < list.size(); i++) {
                JsonConfig t = top.child("added_tokens[" + i + "]", list.get(i));
                boolean special = t.bool("special", false);
                tokens.add(new AddedToken(t.requiredInteger("id", 0, Integer.MAX_VALUE), t.text("content"), special,
                        t.bool("normalized", !special), t.bool("lstrip", false), t.bool("rstrip", false),
                        t.bool("single_word", false)));
            }
        }
        added = new AddedVocabulary(tokens, normalizer);
    }

    private static boolean present(JsonNode root, String field) {
        JsonNode n = root.get(field);
        return n != null && !n.isNull();
    }

    /** Loads a tokenizer.json file (plain, or gzip-compressed when the name ends in .gz). */
    public static Tokenizer load(Path file) {
        if (file.getFileName().toString().endsWith(".gz")) {
            InputFiles.requireNotFolder(file);
            JsonNode root;
            try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
                root = Json.read(in, file.toString());
            } catch (NoSuchFileException e) {
                throw new SrrException(file + ": file not found");
            } catch (IOException e) {
                throw new SrrException(file + ": cannot read: " + e.getMessage());
            }
            return fromJson(root, file.toString());
        }
        return fromJson(Json.read(file), file.toString());
    }

    public static Tokenizer fromJson(JsonNode root, String source) {
        if (root == null || !root.isObject()) throw new SrrException(source + ": not a tokenizer.json object");
        return new Tokenizer(root, source);
    }

    /** Encodes {@code text}; with {@code addSpecialTokens} the post-processor adds BOS/EOS as configured. */
    public Encoding encode(String text, boolean addSpecialTokens) {
        Encoding encoding = new Encoding();
        List<AddedVocabulary.Piece> rawPieces = new ArrayList<>();
        added.splitRaw(NormalizedText.ofOriginal(text, 0), rawPieces);
        List<AddedVocabulary.Piece> pieces = new ArrayList<>();
        List<NormalizedText> words = new ArrayList<>();
        for (AddedVocabulary.Piece raw : rawPieces) {
            if (raw.token() != null) {
                addAddedToken(encoding, raw);
                continue;
            }
            NormalizedText normalized = normalizer == null ? raw.text() : normalizer.normalize(raw.text());
            pieces.clear();
            added.splitNormalized(normalized, pieces);
            for (AddedVocabulary.Piece piece : pieces) {
                if (piece.token() != null) {
                    addAddedToken(encoding, piece);
                    continue;
                }
                words.clear();
                if (preTokenizer == null) {
                    if (!piece.text().isEmpty()) words.add(piece.text());
                } else {
                    preTokenizer.split(piece.text(), words);
                }
                for (NormalizedText word : words) addWord(encoding, word);
            }
        }
        if (postProcessor != null) postProcessor.process(encoding, addSpecialTokens);
        return encoding;
    }

    /** Token ids only (the common case). */
    public int[] encodeIds(String text, boolean addSpecialTokens) {
        return encode(text, addSpecialTokens).ids();
    }

    private static void addAddedToken(Encoding encoding, AddedVocabulary.Piece piece) {
        NormalizedText t = piece.text();
        encoding.add(piece.token().id(), t.toString(), t.originalStart(0), t.originalEnd(t.length()));
    }

    private void addWord(Encoding encoding, NormalizedText word) {
        if (word.isEmpty()) return;
        BpeModel.Word w = model.tokenize(word);
        int[] ids = w.ids();
        for (int i = 0; i < ids.length; i++) {
            encoding.add(ids[i], model.token(ids[i]), word.originalStart(w.starts()[i]), word.originalEnd(w.ends()[i]));
        }
    }

    /**
     * Decodes ids to text; {@code skipSpecialTokens} drops added tokens marked special. An id the tokenizer has no
     * token for decodes to nothing, as in Hugging Face tokenizers: models pad their vocabulary past the tokenizer's
     * (Qwen2.5: 151,936 rows for 151,665 tokens), and a model with random or poorly trained weights samples those.
     */
    public String decode(int[] ids, boolean skipSpecialTokens) {
        List<String> tokens = new ArrayList<>(ids.length);
        for (int id : ids) {
            AddedToken a = added.byId(id);
            String token = a != null ? a.content() : model.token(id);
            if (token == null) continue;
            if (skipSpecialTokens && isSpecial(token)) continue;
            tokens.add(token);
        }
        if (decoder == null) return String.join(" ", tokens);
        return String.join("", decoder.decodeChain(tokens));
    }

    private boolean isSpecial(String token) {
        AddedToken a = added.byContent(token);
        return a != null && a.special();
    }

    /** Whether {@code id} is an added token marked special (BOS, EOS, chat markers...). */
    public boolean isSpecial(int id) {
        AddedToken a = added.byId(id);
        return a != null && a.special();
    }

    /** The id of a token string (added or in the vocabulary), or -1. */
    public int tokenToId(String token) {
        AddedToken a = added.byContent(token);
        if (a != null) return a.id();
        Integer id = model.id(token);
        return id == null ? -1 : id;
    }

    /** One more than the largest id the tokenizer knows, counting added tokens (a long: ids reach 2^31 - 1). */
    public long vocabSize() {
        long max = model.vocabSize();
        for (AddedToken a : added.all()) max = Math.max(max, a.id() + 1L);
        return max;
    }

    public List<AddedToken> addedTokens() {
        List<AddedToken> list = new ArrayList<>();
        added.all().forEach(list::add);
        list.sort(java.util.Comparator.comparingInt(AddedToken::id));
        return list;
    }
}
