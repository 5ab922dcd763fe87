package dev.srr.compute;

/**
 * One operation of a decoder layer over named buffers. Weight and bias fields are checkpoint tensor names.
 * A backend executes a list of these; it may fuse neighbours (norm + projection, gate + up + SwiGLU).
 */
public sealed interface Op {

    /** {@code out = in / rms(in) * weight}, row by row. */
    record RmsNorm(Buf in, Buf out, String weight) implements Op {
    }

    /** {@code out = in x weight^T (+ bias)}; weight is [outWidth, inWidth] as stored. */
    record Linear(Buf in, Buf out, String weight, String bias) implements Op {
    }

    /** RMSNorm over each head's slice of {@code buf}, in place (Qwen3 q/k norm). */
    record HeadNorm(Buf buf, String weight, int heads) implements Op {
    }

    /** Rotary position embedding of each head of {@code buf}, in place, at each row's position. */
    record Rope(Buf buf, int heads) implements Op {
    }

    /**
     * Stores this step's {@code k}, {@code v} rows in the KV cache of {@code layer} at their positions, then
     * causal grouped-query attention of {@code q} over each row's sequence into {@code out}.
     */
    record Attention(int layer, Buf q, Buf k, Buf v, Buf out) implements Op {
    }

    /** {@code gate = silu(gate) * up}, in place. */
    record SwiGlu(Buf gate, Buf up) implements Op {
    }

    /** {@code acc += in}: the residual connection. */
    record Residual(Buf acc, Buf in) implements Op {
    }
}
