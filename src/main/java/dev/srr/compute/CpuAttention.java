package dev.srr.compute;

import dev.srr.Parallel;
import dev.srr.model.ModelConfig;

/** Causal grouped-query attention over the host KV cache, following shared prefixes into parent sequences. */
final class CpuAttention {
    /** Per-thread score buffer, grown to the longest sequence seen (no allocation per decode step). */
    private static final ThreadLocal<float[][]> SCORES = ThreadLocal.withInitial(() -> new float[][]{new float[256]});

    private CpuAttention() {
    }

    static void run(ModelConfig c, CpuKvCache cache, int layer, Step s, float[] q, float[] k, float[] v, float[] out) {
        int kvDim = c.kvDim();
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
        int heads = c.numHeads();
        int headDim = c.headDim();
        int group = heads / c.numKvHeads();
        float scale = (float) (1.0 / Math.sqrt(headDim));
        int window = c.slidingWindow();
        Parallel.forRange(rows * heads, 1, (from, to) -> {
            float[][] holder = SCORES.get();
            float[] scores = holder[0];
            for (int task = from; task < to; task++) {
                int r = task / heads;
                int h = task % heads;
                int pos = s.positions()[r];
                int start = window > 0 ? Math.max(0, pos - window + 1) : 0;
                int n = pos - start + 1;
                if (scores.length < n) scores = holder[0] = new float[Math.max(n, scores.length * 2)];
                int qOff = r * c.qDim() + h * headDim;
                int kvOff = (h / group) * headDim;
                CpuKvCache.Sequence seq = cache.get(s.sequences()[r]);
                // pass 1: scores over the positions, walking from the sequence into its parents
                float max = Float.NEGATIVE_INFINITY;
                CpuKvCache.Sequence cur = seq;
                int hi = pos + 1;
                while (true) {
                    int lo = Math.max(cur.prefixLength, start);
                    float[] keys = cur.keys[layer];
                    for (int t = lo; t < hi; t++) {
                        float sc = CpuKernels.dot(q, qOff, keys, (t - cur.prefixLength) * kvDim + kvOff, headDim) * scale;
                        scores[t - start] = sc;
                        if (sc > max) max = sc;
                    }
                    hi = cur.prefixLength;
                    if (hi <= start || cur.parent == null) break;
                    cur = cur.parent;
                }
                float sum = 0;
                for (int i = 0; i < n; i++) {
                    float e = (float) Math.exp(scores[i] - max);
                    scores[i] = e;
                    sum += e;
                }
                float inv = 1f / sum;
                int oOff = r * c.qDim() + h * headDim;
                java.util.Arrays.fill(out, oOff, oOff + headDim, 0f);
                cur = seq;
                hi = pos + 1;
                while (true) {
                    int lo = Math.max(cur.prefixLength, start);
                    float[] values = cur.values[layer];
                    for (int t = lo; t < hi; t++) {
                        float w = scores[t - start] * inv;
                        int vOff = (t - cur.prefixLength) * kvDim + kvOff;
                        CpuKernels.axpy(w, values, vOff, out, oOff, headDim);
                    }
                    hi = cur.prefixLength;
                    if (hi <= start || cur.parent == null) break;
                    cur = cur.parent;
                }
            }
        });
    }
}
