package dev.srr.compute;

/**
 * The rows one forward call processes: row r is token {@code tokens[r]} of KV-cache sequence
 * {@code sequences[r]} at absolute position {@code positions[r]}. Rows of one sequence appear in position order;
 * several sequences of different lengths may share a step (batched prefill, K candidates decoding together).
 */
public record Step(int[] tokens, int[] sequences, int[] positions) {
    public Step {
        if (tokens.length != sequences.length || tokens.length != positions.length) {
            throw new IllegalArgumentException("step arrays differ in length");
        }
    }

    public int rows() {
        return tokens.length;
    }
}
