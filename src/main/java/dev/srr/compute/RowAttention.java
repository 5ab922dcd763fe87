package dev.srr.compute;

/**
 * Attention of one query row (decode) and one head, key by key: a vector dot product per key and head,
 * softmax, then a weighted sum of value rows. {@link FlashAttention} puts queries in vector lanes, which for one
 * row of a small head group leaves most lanes empty (3 of 16 for a group of 3: twice the time of this loop at 512
 * keys); here the lanes run along the head dimension instead.
 */
final class RowAttention {
    /** Per-thread scores, grown to the longest key range seen (no allocation per decode step). */
    private static final ThreadLocal<float[][]> SCORES = ThreadLocal.withInitial(() -> new float[][]{new float[256]});

    private RowAttention() {
    }

    /** Row {@code r} of the step, head {@code head} of q into the same place of out. */
    static void row(FlashAttention.Layer a, float[] q, float[] out, int r, int head) {
        int headDim = a.headDim();
        int kvDim = a.kvDim();
        int layer = a.layer();
        int pos = a.step().positions()[r];
        int start = a.window() > 0 ? Math.max(0, pos - a.window() + 1) : 0;
        int n = pos - start + 1;
        float[][] holder = SCORES.get();
        if (holder[0].length < n) holder[0] = new float[Math.max(n, holder[0].length * 2)];
        float[] scores = holder[0];
        float scale = (float) (1.0 / Math.sqrt(headDim));
        int kvOff = (head / a.group()) * headDim;
        CpuKvCache.Sequence seq = a.cache().get(a.step().sequences()[r]);
        int off = r * a.qDim() + head * headDim;
        float max = Float.NEGATIVE_INFINITY;
        CpuKvCache.Sequence cur = seq;
        int hi = pos + 1;
        while (true) { // the sequence's own positions, then its parents' down to the window's start
            int lo = Math.max(cur.prefixLength, start);
            float[] keys = cur.keys[layer];
            for (int t = lo; t < hi; t++) {
                float s = CpuKernels.dot(q, off, keys, (t - cur.prefixLength) * kvDim + kvOff, headDim) * scale;
                scores[t - start] = s;
                max = Math.max(max, s);
            }
            hi = cur.prefixLength;
            if (hi <= start || cur.parent == null) break;
            cur = cur.parent;
        }
        float sum = 0;
        for (int i = 0; i < n; i++) {
            float e = Exp.exp(scores[i] - max);
            scores[i] = e;
            sum += e;
        }
        float inv = 1f / sum;
        java.util.Arrays.fill(out, off, off + headDim, 0f);
        cur = seq;
        hi = pos + 1;
        while (true) {
            int lo = Math.max(cur.prefixLength, start);
            float[] values = cur.values[layer];
            for (int t = lo; t < hi; t++) {
                CpuKernels.axpy(scores[t - start] * inv, values, (t - cur.prefixLength) * kvDim + kvOff, out, off, headDim);
            }
            hi = cur.prefixLength;
            if (hi <= start || cur.parent == null) break;
            cur = cur.parent;
        }
    }
}
