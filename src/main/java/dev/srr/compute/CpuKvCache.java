package dev.srr.compute;

import dev.srr.SrrException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Host-memory KV cache. Each sequence owns positions from its prefix length on; earlier ones live in parents. */
public final class CpuKvCache implements KvCache {

    /** One sequence's own keys and values, per layer, for positions [prefixLength, length). */
    static final class Sequence {
        final Sequence parent;
        final int prefixLength;
        final float[][] keys;
        final float[][] values;
        int capacity;
        int length;

        Sequence(Sequence parent, int prefixLength, int layers) {
            this.parent = parent;
            this.prefixLength = prefixLength;
            this.keys = new float[layers][0];
            this.values = new float[layers][0];
            this.length = prefixLength;
        }
    }

    private final int layers;
    private final int kvDim;
    private final int maxPositions;
    private final List<Sequence> sequences = new ArrayList<>();

    public CpuKvCache(int layers, int kvDim, int maxPositions) {
        this.layers = layers;
        this.kvDim = kvDim;
        this.maxPositions = maxPositions;
    }

    @Override
    public synchronized int newSequence() {
        return add(new Sequence(null, 0, layers));
    }

    @Override
    public synchronized int fork(int parent, int prefixLength) {
        Sequence p = get(parent);
        if (prefixLength > p.length) throw new IllegalArgumentException("prefix " + prefixLength + " longer than parent " + p.length);
        return add(new Sequence(p, prefixLength, layers));
    }

    private int add(Sequence s) {
        int free = sequences.indexOf(null);
        if (free >= 0) {
            sequences.set(free, s);
            return free;
        }
        sequences.add(s);
        return sequences.size() - 1;
    }

    @Override
    public synchronized void release(int sequence) {
        get(sequence);
        sequences.set(sequence, null);
    }

    @Override
    public int length(int sequence) {
        return get(sequence).length;
    }

    Sequence get(int id) {
        Sequence s = id >= 0 && id < sequences.size() ? sequences.get(id) : null;
        if (s == null) throw new IllegalArgumentException("no KV-cache sequence " + id);
        return s;
    }

    /** Makes room for position {@code pos} in {@code s}; refuses positions beyond the model's context. */
    void reserve(Sequence s, int pos) {
        if (pos >= maxPositions) {
            throw new SrrException("position " + pos + " exceeds the model's context of " + maxPositions + " tokens");
        }
        if (pos < s.prefixLength) throw new IllegalStateException("position " + pos + " belongs to the shared prefix");
        int need = pos - s.prefixLength + 1;
        if (need > s.capacity) {
            int cap = Math.max(need, Math.max(16, s.capacity * 2));
            for (int l = 0; l < layers; l++) {
                s.keys[l] = Arrays.copyOf(s.keys[l], cap * kvDim);
                s.values[l] = Arrays.copyOf(s.values[l], cap * kvDim);
            }
            s.capacity = cap;
        }
    }
}
