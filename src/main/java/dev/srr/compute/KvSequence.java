package dev.srr.compute;

/**
 * One sequence of a {@link KvCache}, released when closed: {@code try (KvSequence s = cache.open()) { ... }}. A fork
 * shares its parent's first positions, which stay readable until the fork is released too.
 */
public final class KvSequence implements AutoCloseable {
    private final KvCache cache;
    private final int id;
    private boolean released;

    KvSequence(KvCache cache, int id) {
        this.cache = cache;
        this.id = id;
    }

    /** The id a {@link Step} names this sequence by. */
    public int id() {
        return id;
    }

    /** Positions stored, shared prefix included. */
    public int length() {
        return cache.length(id);
    }

    /** A new sequence reading positions [0, prefixLength) from this one. */
    public KvSequence fork(int prefixLength) {
        return new KvSequence(cache, cache.fork(id, prefixLength));
    }

    /** {@code count} forks of this sequence at {@code prefixLength}, released together. */
    public KvSequences forks(int prefixLength, int count) {
        KvSequences forks = new KvSequences();
        try {
            for (int i = 0; i < count; i++) forks.add(fork(prefixLength));
        } catch (RuntimeException e) {
            forks.close();
            throw e;
        }
        return forks;
    }

    /** Releases the sequence once; closing again does nothing. */
    @Override
    public void close() {
        if (released) return;
        released = true;
        cache.release(id);
    }
}
