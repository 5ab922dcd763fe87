package dev.srr.compute;

/**
 * Keys and values of every layer per sequence, kept by the backend (host or device memory). A forked sequence
 * shares its parent's first positions instead of copying them: K candidates decode over one prefill. Backends
 * implement the id-based methods; callers hold sequences as {@link KvSequence}s ({@link #open}), which release
 * themselves when closed.
 */
public interface KvCache {

    /** A new empty sequence, released when the handle is closed. */
    default KvSequence open() {
        return new KvSequence(this, newSequence());
    }

    /** A new empty sequence. */
    int newSequence();

    /** A new sequence whose positions [0, prefixLength) are read from {@code parent}, which must not change them. */
    int fork(int parent, int prefixLength);

    /** Frees a sequence; sequences forked from it keep working until they are released too. */
    void release(int sequence);

    /** Number of positions stored for {@code sequence}, shared prefix included. */
    int length(int sequence);
}
