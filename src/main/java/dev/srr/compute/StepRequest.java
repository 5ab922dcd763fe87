package dev.srr.compute;

/**
 * One step as the engine asks for it, whole, so a backend can plan it at once (the TornadoVM backend runs a
 * whole step as one device execution): the rows to run, the {@code hidden_states} indices to capture for
 * {@code rows} (0 = embeddings, i = output of decoder layer i-1, {@code numLayers} = after the final norm), whether
 * to keep the last layer's raw output for those rows, the rows whose logits are wanted, and whether later steps
 * read these tokens' KV cache at every layer ({@code fillsCache}: decoding does, so a step of prompt chunks that
 * wants no logits yet still runs every layer; encoding candidates after a shared prompt stops at the same layer
 * as the prompt did, so it need not).
 */
public record StepRequest(Step step, int[] indices, int[] rows, boolean rawLast, int[] logitRows, boolean fillsCache) {

    /** The logits of {@code logitRows} and nothing captured: a plain decode step. */
    public static StepRequest logits(Step step, int... logitRows) {
        return new StepRequest(step, new int[0], new int[0], false, logitRows, true);
    }

    /** The same step, also capturing {@code hidden_states} {@code indices} of {@code rows}. */
    public StepRequest capturing(int[] indices, int[] rows) {
        return new StepRequest(step, indices, rows, rawLast, logitRows, fillsCache);
    }

    /** Whether {@code hidden_states[index]} is captured. */
    public boolean captures(int index) {
        for (int i : indices) if (i == index) return true;
        return false;
    }

    /**
     * Decoder layers to run: all of them for logits, the last layer or a KV cache later steps read in full, else up to the
     * highest captured index.
     */
    public int depth(int numLayers) {
        if (fillsCache || rawLast || logitRows.length > 0) return numLayers;
        int highest = 0;
        for (int i : indices) highest = Math.max(highest, i);
        return Math.min(highest, numLayers);
    }

    public boolean needsFinalNorm(int numLayers) {
        return logitRows.length > 0 || captures(numLayers);
    }
}
