package dev.srr.compute.tornado;

import dev.srr.SrrException;
import dev.srr.compute.KvCache;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

import java.util.ArrayList;
import java.util.List;

/**
 * Host bookkeeping of the device KV cache. Each layer's keys and values are one device array of
 * {@code slots x context x kvDim} floats, a position stored at its absolute index in its sequence's slot.
 * A fork shares its parent's slot for the prefix instead of copying it: the attention kernel reads position t
 * from the first slot along the row's chain (own, parent, ...) whose prefix length is at most t. A slot is
 * reused once its sequence and every fork reading through it are released.
 */
final class DeviceKvCache implements KvCache {

    private static final class Sequence {
        final Sequence parent;
        final int prefixLength;
        final int slot;
        final int depth;
        int length;
        /** The handle itself plus one per fork that reads through this sequence. */
        int refs = 1;

        Sequence(Sequence parent, int prefixLength, int slot) {
            this.parent = parent;
            this.prefixLength = prefixLength;
            this.slot = slot;
            this.depth = parent == null ? 1 : parent.depth + 1;
            this.length = prefixLength;
        }
    }

    private final boolean[] slotUsed;
    private final int context;
    private final int maxPositions;
    private final List<Sequence> sequences = new ArrayList<>();

    DeviceKvCache(int slots, int context, int maxPositions) {
        this.slotUsed = new boolean[slots];
        this.context = context;
        this.maxPositions = maxPositions;
    }

    @Override
    public synchronized int newSequence() {
        return add(new Sequence(null, 0, takeSlot()));
    }

    @Override
    public synchronized int fork(int parent, int prefixLength) {
        Sequence p = get(parent);
        if (prefixLength > p.length) throw new IllegalArgumentException("prefix " + prefixLength + " longer than parent " + p.length);
        if (p.depth >= StepMeta.MAX_DEPTH) {
            throw new SrrException("forks nest at most " + StepMeta.MAX_DEPTH + " levels deep on the TornadoVM backend");
        }
        Sequence child = new Sequence(p, prefixLength, takeSlot());
        p.refs++;
        return add(child);
    }

    @Override
    public synchronized void release(int sequence) {
        Sequence s = get(sequence);
        sequences.set(sequence, null);
        drop(s);
    }

    private void drop(Sequence s) {
        for (Sequence cur = s; cur != null && --cur.refs == 0; cur = cur.parent) slotUsed[cur.slot] = false;
    }

    @Override
    public synchronized int length(int sequence) {
        return get(sequence).length;
    }

    /** Checks that {@code pos} fits the cache and records it as stored. */
    synchronized void reserve(int sequence, int pos) {
        Sequence s = get(sequence);
        if (pos >= maxPositions) {
            throw new SrrException("position " + pos + " exceeds the model's context of " + maxPositions + " tokens");
        }
        if (pos >= context) {
            throw new SrrException("position " + pos + " exceeds the device KV cache of " + context
                    + " positions per sequence (raise -D" + TornadoSettings.PREFIX + "context)");
        }
        if (pos < s.prefixLength) throw new IllegalStateException("position " + pos + " belongs to the shared prefix");
        s.length = Math.max(s.length, pos + 1);
    }

    /** Writes the chain of {@code sequence} at {@code at} in the layout of {@link StepMeta}. */
    synchronized void writeChain(int sequence, IntArray meta, int at) {
        Sequence s = get(sequence);
        for (int level = 0; level < StepMeta.MAX_DEPTH; level++) {
            meta.set(at + 2 * level, s.slot);
            if (level < StepMeta.MAX_DEPTH - 1) meta.set(at + 2 * level + 1, s.parent == null ? 0 : s.prefixLength);
            if (s.parent != null) s = s.parent;
        }
    }

    private int takeSlot() {
        for (int i = 0; i < slotUsed.length; i++) {
            if (!slotUsed[i]) {
                slotUsed[i] = true;
                return i;
            }
        }
        throw new SrrException("all " + slotUsed.length + " device KV-cache slots are in use (raise -D" + TornadoSettings.PREFIX + "slots)");
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

    private Sequence get(int id) {
        Sequence s = id >= 0 && id < sequences.size() ? sequences.get(id) : null;
        if (s == null) throw new IllegalArgumentException("no KV-cache sequence " + id);
        return s;
    }
}
