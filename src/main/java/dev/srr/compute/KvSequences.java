package dev.srr.compute;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;

/** Several {@link KvSequence}s released together when closed, last first: a batch of candidates, say. */
public final class KvSequences extends AbstractList<KvSequence> implements AutoCloseable {
    private final List<KvSequence> sequences = new ArrayList<>();

    /** No sequences yet: {@link #add} them to release them together. */
    public KvSequences() {
    }

    /** {@code count} new empty sequences of {@code cache}. */
    public static KvSequences open(KvCache cache, int count) {
        KvSequences s = new KvSequences();
        try {
            for (int i = 0; i < count; i++) s.add(cache.open());
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    @Override
    public boolean add(KvSequence sequence) {
        return sequences.add(sequence);
    }

    @Override
    public KvSequence get(int index) {
        return sequences.get(index);
    }

    @Override
    public int size() {
        return sequences.size();
    }

    @Override
    public void close() {
        for (int i = sequences.size() - 1; i >= 0; i--) sequences.get(i).close();
    }
}
