package dev.srr.compute.tornado;

import dev.srr.compute.Step;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * The only per-execution upload: one small int array the kernels of the step graph read everything that changes
 * between executions from, so the compiled graph never changes.
 *
 * <pre>
 * [ROWS] [CAPACITY] tokens[capacity] positions[capacity] chains[capacity * CHAIN_INTS]
 * gates[layers + 2]         rows each stage runs on: embed, layer 0 .. layer L-1, final norm (0: skipped)
 * slots[layers + 2]         staging slot of each capture point (-1: not captured): X after the embedding and
 *                           after each layer (point p = hidden_states[p], point L = raw last layer), NORMED (L+1)
 * captured: [n] rows[capacity]      the rows every capture point gathers
 * logits:   [n] rows[logitRows]     the rows the LM head runs on
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
    private final int layers;
    private final int logitCapacity;
    private final int gates;
    private final int slots;
    private final int captured;
    private final int logits;
    private final IntArray array;

    /** For kernels tests and the scorer, which only read the row count and the per-row fields. */
    StepMeta(int capacity) {
        this(capacity, 0, 0);
    }

    StepMeta(int capacity, int layers, int logitCapacity) {
        this.capacity = capacity;
        this.layers = layers;
        this.logitCapacity = logitCapacity;
        this.gates = TOKENS + capacity * (2 + CHAIN_INTS);
        this.slots = gates + layers + 2;
        this.captured = slots + layers + 2;
        this.logits = captured + 1 + capacity;
        this.array = new IntArray(logits + 1 + logitCapacity);
        array.set(CAPACITY, capacity);
        clearStages();
    }

    IntArray array() {
        return array;
    }

    int capacity() {
        return capacity;
    }

    /** Index of the row count of the embedding (stage 0), layer l (stage 1 + l) or the final norm (stage L + 1). */
    int gate(int stage) {
        return gates + stage;
    }

    /** Index of the staging slot of capture point p (0..L: X after the embedding / layer p-1; L + 1: NORMED). */
    int slot(int point) {
        return slots + point;
    }

    /** Index of the captured row count, followed by the rows. */
    int captured() {
        return captured;
    }

    /** Index of the logit row count, followed by the rows. */
    int logits() {
        return logits;
    }

    /** Fills the per-row part for {@code step}; the stages, captures and logit rows are set per execution. */
    void fill(Step step, DeviceKvCache cache) {
        int rows = step.rows();
        array.set(ROWS, rows);
        for (int r = 0; r < rows; r++) {
            array.set(TOKENS + r, step.tokens()[r]);
            array.set(TOKENS + capacity + r, step.positions()[r]);
            cache.writeChain(step.sequences()[r], array, TOKENS + 2 * capacity + r * CHAIN_INTS);
        }
    }

    /** Switches every stage, capture point and logit row off (what an execution on zero rows needs). */
    void clearStages() {
        for (int s = 0; s < layers + 2; s++) {
            array.set(gates + s, 0);
            array.set(slots + s, -1);
        }
        array.set(captured, 0);
        array.set(logits, 0);
    }

    /** Runs stages {@code from..to-1} (0 = embedding, 1 + l = layer l, L + 1 = final norm) on all the step's rows. */
    void runStages(int from, int to) {
        int rows = array.get(ROWS);
        for (int s = 0; s < layers + 2; s++) array.set(gates + s, s >= from && s < to ? rows : 0);
    }

    void captureAt(int point, int slot) {
        array.set(slots + point, slot);
    }

    void capturedRows(int[] rows) {
        array.set(captured, rows.length);
        for (int i = 0; i < rows.length; i++) array.set(captured + 1 + i, rows[i]);
    }

    void logitRows(int[] rows, int from, int n) {
        if (n > logitCapacity) throw new IllegalArgumentException(n + " logit rows exceed " + logitCapacity);
        array.set(logits, n);
        for (int i = 0; i < n; i++) array.set(logits + 1 + i, rows[from + i]);
    }
}
