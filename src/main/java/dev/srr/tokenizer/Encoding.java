package dev.srr.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The result of encoding one text: token ids, token strings and, for each token, the span of the input it
 * came from as [start, end) code point indices (special tokens added by the post-processor get [0, 0)).
 */
public final class Encoding {
    private int[] ids = new int[16];
    private int[] starts = new int[16];
    private int[] ends = new int[16];
    private final List<String> tokens = new ArrayList<>();
    private int size;

    void add(int id, String token, int start, int end) {
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, size * 2);
            starts = Arrays.copyOf(starts, size * 2);
            ends = Arrays.copyOf(ends, size * 2);
        }
        ids[size] = id;
        starts[size] = start;
        ends[size] = end;
        tokens.add(token);
        size++;
    }

    void insert(int index, int id, String token, int start, int end) {
        add(id, token, start, end);
        for (int i = size - 1; i > index; i--) {
            ids[i] = ids[i - 1];
            starts[i] = starts[i - 1];
            ends[i] = ends[i - 1];
        }
        ids[index] = id;
        starts[index] = start;
        ends[index] = end;
        tokens.add(index, tokens.removeLast());
    }

    void setOffsets(int index, int start, int end) {
        starts[index] = start;
        ends[index] = end;
    }

    public int size() {
        return size;
    }

    public int[] ids() {
        return Arrays.copyOf(ids, size);
    }

    public List<String> tokens() {
        return List.copyOf(tokens);
    }

    public String token(int i) {
        return tokens.get(i);
    }

    /** Start of token i in the input, in code points. */
    public int start(int i) {
        return starts[i];
    }

    /** End (exclusive) of token i in the input, in code points. */
    public int end(int i) {
        return ends[i];
    }
}
