package dev.srr.compute.tornado;

import dev.srr.compute.Step;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * The only per-step upload: one small int array the kernels read their row count, token ids, positions and
 * cache chains from, so the compiled graphs never change between steps.
 *
 * <pre>
 * [ROWS] [CAPACITY] tokens[capacity] positions[capacity] chains[capacity * CHAIN_INTS]
 * chain of a row: slot0 from0 slot1 from1 slot2 from2 slot3
 *   position t lives in slot0 if t >= from0, else slot1 if t >= from1, else slot2 if t >= from2, else slot3
 * </pre>
 */
final class StepMeta {
    static final int ROWS = 0;
    static final int CAPACITY = 1;
    static final int TOKENS = 2;
    /** Levels of shared prefixes a row may read through (own slot, parent, grandparent, ...). */
    static final int MAX_DEPTH = 4;
    static final int CHAIN_INTS = 2 * MAX_DEPTH - 1;

    private final int capacity;
    private final IntArray array;

    StepMeta(int capacity) {
        this.capacity = capacity;
        this.array = new IntArray(TOKENS + capacity * (2 + CHAIN_INTS));
        array.set(CAPACITY, capacity);
    }

    IntArray array() {
        return array;
    }

    int capacity() {
        return capacity;
    }

    /** Fills the array for {@code step}; {@code chains} gives each row's chain (see the class comment). */
    void fill(Step step, DeviceKvCache cache) {
        int rows = step.rows();
        array.set(ROWS, rows);
        for (int r = 0; r < rows; r++) {
            array.set(TOKENS + r, step.tokens()[r]);
            array.set(TOKENS + capacity + r, step.positions()[r]);
            cache.writeChain(step.sequences()[r], array, TOKENS + 2 * capacity + r * CHAIN_INTS);
        }
    }
}
