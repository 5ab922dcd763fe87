package dev.srr.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.srr.Warnings;
import dev.srr.io.JsonFields;
import dev.srr.io.Ranges;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The byte-pair-encoding model: a word starts as one symbol per code point (or its UTF-8 byte tokens with
 * byte_fallback, or the unknown token) and adjacent symbols merge, lowest merge rank first and leftmost on
 * ties, until no listed merge applies. Results are cached per word.
 */
final class BpeModel {
    private static final int CACHE_LIMIT = 200_000;
    private static final int MAX_CACHED_WORD = 256;

    private final Map<String, Integer> vocab;
    private final TokenTable tokens;
    private final MergeTable merges;
    private final int unkId;
    private final boolean fuseUnk;
    private final boolean byteFallback;
    private final boolean ignoreMerges;
    private final String continuingSubwordPrefix;
    private final String endOfWordSuffix;
    private final int[] byteTokenIds = new int[256];
    /** Token id of each single BMP character, for the common case without prefix or suffix. */
    private final int[] charIds;
    private final ConcurrentHashMap<String, Word> cache = new ConcurrentHashMap<>();

    /** A word after merging: token ids with their code point ranges inside the word. */
    record Word(int[] ids, int[] starts, int[] ends) {
    }

    private BpeModel(JsonConfig config) {
        JsonNode vocabNode = config.node().get("vocab");
        if (vocabNode == null || !vocabNode.isObject()) throw config.error("missing \"vocab\" object");
        vocab = new HashMap<>(vocabNode.size() * 2);
        tokens = new TokenTable(vocabNode.size());
        for (Iterator<Map.Entry<String, JsonNode>> it = vocabNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 0) {
                throw config.error("vocab entry \"" + e.getKey() + "\" has no valid id (" + Ranges.integers(0, Integer.MAX_VALUE)
                        + "), got " + JsonFields.describe(v));
            }
            int id = v.asInt();
            vocab.put(e.getKey(), id);
            String before = tokens.putIfAbsent(id, e.getKey());
            if (before != null) {
                // Hugging Face keeps whichever its hash map yields; srr decodes to the first, and says so
                Warnings.warn(config.file() + ": model.vocab: \"" + before + "\" and \"" + e.getKey() + "\" share id " + id
                        + "; decoding gives \"" + before + "\"");
            }
        }

        String unk = config.text("unk_token", null);
        if (unk != null && !vocab.containsKey(unk)) throw config.error("unk_token \"" + unk + "\" is not in the vocab");
        unkId = unk == null ? -1 : vocab.get(unk);
        fuseUnk = config.bool("fuse_unk", false);
        byteFallback = config.bool("byte_fallback", false);
        ignoreMerges = config.bool("ignore_merges", false);
        continuingSubwordPrefix = emptyToNull(config.text("continuing_subword_prefix", null));
        endOfWordSuffix = emptyToNull(config.text("end_of_word_suffix", null));
        JsonNode dropout = config.node().get("dropout");
        if (dropout != null && !dropout.isNull() && (!dropout.isNumber() || dropout.asDouble() != 0.0)) {
            throw config.error("BPE dropout is random and not supported (dropout " + dropout + ")");
        }
        for (int b = 0; b < 256; b++) byteTokenIds[b] = vocab.getOrDefault(String.format("<0x%02X>", b), -1);

        charIds = new int[65536];
        Arrays.fill(charIds, -1);
        vocab.forEach((t, id) -> {
            if (t.length() == 1) charIds[t.charAt(0)] = id;
        });

        JsonNode mergeList = config.array("merges");
        merges = new MergeTable(mergeList.size());
        int prefixLen = continuingSubwordPrefix == null ? 0 : continuingSubwordPrefix.length();
        for (int rank = 0; rank < mergeList.size(); rank++) {
            JsonNode m = mergeList.get(rank);
            String left;
            String right;
            if (m.isTextual()) {
                String line = m.asText();
                int space = line.indexOf(' ');
                if (space < 0) throw config.error("merge " + rank + " \"" + line + "\" is not two tokens");
                left = line.substring(0, space);
                right = line.substring(space + 1);
            } else if (m.isArray() && m.size() == 2 && m.get(0).isTextual() && m.get(1).isTextual()) {
                left = m.get(0).asText();
                right = m.get(1).asText();
            } else {
                throw config.error("merge " + rank + " must be \"a b\" or [a, b]");
            }
            Integer a = vocab.get(left);
            Integer b = vocab.get(right);
            String merged = left + (prefixLen > 0 && right.startsWith(continuingSubwordPrefix)
                    ? right.substring(prefixLen) : right);
            Integer c = vocab.get(merged);
            if (a == null || b == null || c == null) {
                throw config.error("merge " + rank + " (" + left + " " + right + ") uses a token missing from the vocab");
            }
            merges.put(a, b, rank, c);
        }
    }

    static BpeModel fromJson(JsonConfig config) {
        String type = config.node().has("type") ? config.type() : "BPE";
        if (!type.equals("BPE")) throw config.unsupported(type);
        return new BpeModel(config);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** One more than the largest id in the vocabulary (0 when it is empty); a long, as ids reach 2^31 - 1. */
    long vocabSize() {
        return tokens.maxId() + 1L;
    }

    /** The token string of an id, or null if the model has none. */
    String token(int id) {
        return tokens.get(id);
    }

    Integer id(String token) {
        return vocab.get(token);
    }

    /** Encodes one pre-tokenized word. */
    Word tokenize(NormalizedText word) {
        String key = word.toString();
        Word cached = cache.get(key);
        if (cached != null) return cached;
        Word result;
        Integer whole = ignoreMerges ? vocab.get(key) : null;
        if (whole != null) {
            result = new Word(new int[]{whole}, new int[]{0}, new int[]{word.length()});
        } else {
            result = merge(word.codePoints());
        }
        if (key.length() <= MAX_CACHED_WORD && cache.size() < CACHE_LIMIT) cache.put(key, result);
        return result;
    }

    private Word merge(int[] cps) {
        int cap = cps.length + 8;
        int[] ids = new int[cap];
        int[] st = new int[cap];
        int[] en = new int[cap];
        int n = 0;
        int pendingUnkStart = -1;
        int pendingUnkEnd = -1;
        byte[] buf = new byte[64];
        for (int i = 0; i < cps.length; i++) {
            int cp = cps[i];
            boolean first = i == 0;
            boolean last = i == cps.length - 1;
            int id;
            String piece = null;
            if (cp < 65536 && (first || continuingSubwordPrefix == null) && (!last || endOfWordSuffix == null)) {
                id = charIds[cp];
            } else {
                piece = new String(Character.toChars(cp));
                if (!first && continuingSubwordPrefix != null) piece = continuingSubwordPrefix + piece;
                if (last && endOfWordSuffix != null) piece = piece + endOfWordSuffix;
                id = vocab.getOrDefault(piece, -1);
            }
            if (n + 8 >= ids.length) {
                ids = Arrays.copyOf(ids, ids.length * 2);
                st = Arrays.copyOf(st, ids.length);
                en = Arrays.copyOf(en, ids.length);
            }
            if (id >= 0) {
                if (pendingUnkStart >= 0) {
                    ids[n] = unkId;
                    st[n] = pendingUnkStart;
                    en[n++] = pendingUnkEnd;
                    pendingUnkStart = -1;
                }
                ids[n] = id;
                st[n] = i;
                en[n++] = i + 1;
                continue;
            }
            if (byteFallback) {
                if (piece == null) piece = new String(Character.toChars(cp));
                byte[] bytes = piece.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                boolean all = true;
                for (byte b : bytes) all &= byteTokenIds[b & 0xFF] >= 0;
                if (all) {
                    if (n + bytes.length + 8 >= ids.length) {
                        ids = Arrays.copyOf(ids, ids.length * 2 + bytes.length);
                        st = Arrays.copyOf(st, ids.length);
                        en = Arrays.copyOf(en, ids.length);
                    }
                    for (byte b : bytes) {
                        ids[n] = byteTokenIds[b & 0xFF];
                        st[n] = i;
                        en[n++] = i + 1;
                    }
                    continue;
                }
            }
            if (unkId >= 0) {
                if (pendingUnkStart >= 0 && fuseUnk) {
                    pendingUnkEnd = i + 1;
                } else {
                    if (pendingUnkStart >= 0) {
                        ids[n] = unkId;
                        st[n] = pendingUnkStart;
                        en[n++] = pendingUnkEnd;
                    }
                    pendingUnkStart = i;
                    pendingUnkEnd = i + 1;
                }
            }
            // Without an unknown token the character is dropped, as in Hugging Face tokenizers.
        }
        if (pendingUnkStart >= 0) {
            ids[n] = unkId;
            st[n] = pendingUnkStart;
            en[n++] = pendingUnkEnd;
        }
        return applyMerges(ids, st, en, n);
    }

    private Word applyMerges(int[] ids, int[] st, int[] en, int n) {
        if (n <= 1) return new Word(Arrays.copyOf(ids, n), Arrays.copyOf(st, n), Arrays.copyOf(en, n));
        int[] next = new int[n];
        int[] prev = new int[n];
        boolean[] removed = new boolean[n];
        LongHeap queue = new LongHeap(n * 2);
        for (int i = 0; i < n; i++) {
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
            if (i + 1 < n) {
                long m = merges.get(ids[i], ids[i + 1]);
                if (m >= 0) queue.push((m & 0xFFFFFFFF00000000L) | i);
            }
        }
        while (!queue.isEmpty()) {
            long top = queue.pop();
            int pos = (int) top;
            int rank = (int) (top >>> 32);
            if (removed[pos] || next[pos] < 0) continue;
            int right = next[pos];
            long m = merges.get(ids[pos], ids[right]);
            if (m < 0 || (int) (m >>> 32) != rank) continue; // stale entry: this pair has changed
            ids[pos] = (int) m;
            en[pos] = en[right];
            removed[right] = true;
            next[pos] = next[right];
            if (next[pos] >= 0) prev[next[pos]] = pos;
            if (prev[pos] >= 0) {
                long pm = merges.get(ids[prev[pos]], ids[pos]);
                if (pm >= 0) queue.push((pm & 0xFFFFFFFF00000000L) | prev[pos]);
            }
            if (next[pos] >= 0) {
                long nm = merges.get(ids[pos], ids[next[pos]]);
                if (nm >= 0) queue.push((nm & 0xFFFFFFFF00000000L) | pos);
            }
        }
        int count = 0;
        for (int i = 0; i < n; i++) if (!removed[i]) count++;
        int[] outIds = new int[count];
        int[] outSt = new int[count];
        int[] outEn = new int[count];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (removed[i]) continue;
            outIds[k] = ids[i];
            outSt[k] = st[i];
            outEn[k++] = en[i];
        }
        return new Word(outIds, outSt, outEn);
    }

    /**
     * Token strings by id. Ids are usually dense (0..n-1) and live in an array; the format allows any id up to
     * 2^31 - 1, so sparse ones go to a map instead of an array sized by the largest id.
     */
    private static final class TokenTable {
        private final int entries;
        private String[] dense = new String[16];
        private Map<Integer, String> sparse;
        private int maxId = -1;

        TokenTable(int entries) {
            this.entries = entries;
        }

        /** Stores {@code token} for {@code id} unless the id has one; returns the token it already had, or null. */
        String putIfAbsent(int id, String token) {
            maxId = Math.max(maxId, id);
            // an array stays within a small multiple of the entries the file lists
            if (sparse == null && id >= dense.length && id < 2L * entries + 1024) {
                dense = Arrays.copyOf(dense, (int) Math.min(Math.max(id + 1L, dense.length * 2L), 2L * entries + 1024));
            }
            if (sparse == null && id >= dense.length) {
                sparse = new HashMap<>(entries * 2);
                for (int i = 0; i < dense.length; i++) if (dense[i] != null) sparse.put(i, dense[i]);
                dense = null;
            }
            if (sparse != null) return sparse.putIfAbsent(id, token);
            String before = dense[id];
            if (before == null) dense[id] = token;
            return before;
        }

        String get(int id) {
            if (id < 0) return null;
            if (sparse != null) return sparse.get(id);
            return id < dense.length ? dense[id] : null;
        }

        int maxId() {
            return maxId;
        }
    }

    /** A binary min-heap of longs; (rank << 32 | position) orders by rank, then leftmost position. */
    private static final class LongHeap {
        private long[] heap;
        private int size;

        LongHeap(int capacity) {
            heap = new long[Math.max(4, capacity)];
        }

        boolean isEmpty() {
            return size == 0;
        }

        void push(long v) {
            if (size == heap.length) heap = Arrays.copyOf(heap, size * 2);
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (heap[parent] <= v) break;
                heap[i] = heap[parent];
                i = parent;
            }
            heap[i] = v;
        }

        long pop() {
            long top = heap[0];
            long last = heap[--size];
            int i = 0;
            while (true) {
                int child = 2 * i + 1;
                if (child >= size) break;
                if (child + 1 < size && heap[child + 1] < heap[child]) child++;
                if (heap[child] >= last) break;
                heap[i] = heap[child];
                i = child;
            }
            heap[i] = last;
            return top;
        }
    }
}
