package dev.srr.compute;

import dev.srr.Parallel;
import dev.srr.model.ModelConfig;

/**
 * Causal grouped-query attention over the host KV cache, following shared prefixes into parent sequences. The
 * step's rows are cut into blocks of at most {@link #QUERY_ROWS} consecutive rows of one sequence; each block and
 * KV head is one task: {@link FlashAttention}, or {@link RowAttention} row by row where the block's queries would
 * fill at most half a vector (decode steps).
 */
final class CpuAttention {
    /** Rows per query block: 32 rows times any head group fills whole pairs of vectors. */
    static final int QUERY_ROWS = Math.max(1, Integer.getInteger("srr.attention.queryRows", 32));

    private CpuAttention() {
    }

    static void run(ModelConfig c, CpuKvCache cache, int layer, Step s, float[] q, float[] k, float[] v, float[] out) {
        run(c.numHeads(), c.numKvHeads(), c.headDim(), c.slidingWindow(), cache, layer, s, q, k, v, out);
    }

    /**
     * Stores the step's keys and values ([rows, kvHeads * headDim]) in the cache, then {@code out} ([rows, heads *
     * headDim]) = softmax(q k^T / sqrt(headDim)) v per row and head, over the keys of the row's sequence at
     * positions [pos - window + 1, pos] (window 0: from 0), head h reading KV head h / (heads / kvHeads).
     */
    static void run(int heads, int kvHeads, int headDim, int window, CpuKvCache cache, int layer, Step s,
                    float[] q, float[] k, float[] v, float[] out) {
        int kvDim = kvHeads * headDim;
        int rows = s.rows();
        // store this step's keys and values first, so rows attend to earlier rows of the same step
        for (int r = 0; r < rows; r++) {
            CpuKvCache.Sequence seq = cache.get(s.sequences()[r]);
            int pos = s.positions()[r];
            cache.reserve(seq, pos);
            int at = (pos - seq.prefixLength) * kvDim;
            System.arraycopy(k, r * kvDim, seq.keys[layer], at, kvDim);
            System.arraycopy(v, r * kvDim, seq.values[layer], at, kvDim);
            seq.length = Math.max(seq.length, pos + 1);
        }
        int[] starts = blocks(s);
        int blocks = starts.length - 1;
        FlashAttention.Layer a = new FlashAttention.Layer(heads, kvHeads, headDim, window, layer, kvDim, cache, s);
        // one task per block and head: a blocked task runs at its group's first head, the others have nothing to do
        Parallel.forRange(blocks * heads, 1, (from, to) -> {
            for (int task = from; task < to; task++) {
                int b = balanced(task / heads, blocks);
                int h = task % heads;
                int r0 = starts[b], r1 = starts[b + 1];
                if ((r1 - r0) * a.group() <= Vec.L / 2) {
                    for (int r = r0; r < r1; r++) RowAttention.row(a, q, out, r, h);
                } else if (h % a.group() == 0) {
                    FlashAttention.block(a, q, out, r0, r1, h / a.group());
                }
            }
        });
    }

    /** Block boundaries: runs of consecutive rows of one sequence, cut every {@link #QUERY_ROWS} rows. */
    static int[] blocks(Step s) {
        int rows = s.rows();
        int[] starts = new int[rows + 1];
        int n = 0;
        for (int r = 0; r < rows; r++) {
            if (r == 0 || s.sequences()[r] != s.sequences()[r - 1] || r - starts[n - 1] == QUERY_ROWS) starts[n++] = r;
        }
        starts[n] = rows;
        return java.util.Arrays.copyOf(starts, n + 1);
    }

    /**
     * Task order 0, n-1, 1, n-2, ...: a causal prompt's late blocks cost more than its early ones, and pairing
     * them gives the contiguous chunks {@link Parallel#forRange} hands out similar work.
     */
    static int balanced(int i, int n) {
        return i % 2 == 0 ? i / 2 : n - 1 - i / 2;
    }
}
