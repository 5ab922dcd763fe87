package dev.srr.compute;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Attention of a block of query rows of one sequence and one KV head group over the keys they may see, in key
 * blocks with FlashAttention-2's online softmax (Dao 2023, "FlashAttention-2", Algorithm 1): per key block the
 * running maximum m, the running denominator l and the unnormalised output O are rescaled by e^(m_old - m_new),
 * and O is divided by l once at the end. Scores are never stored beyond one key block.
 *
 * <p>Vector lanes run over queries (rows x heads of the group), so the query block's Q, O, m and l are held
 * transposed ({@code [d][query]}): Q.K^T and P.V are broadcasts of one key or value element times a vector of
 * queries, and the softmax's maxima and sums are lane-wise, with no horizontal reduction anywhere. Keys and values
 * are read in place from the KV cache, following shared prefixes into parent sequences.
 *
 * <p>Every lane's arithmetic depends only on its own query, its own key range and key blocks aligned at
 * multiples of {@link #KEY_BLOCK} absolute positions: a row gives the same bits in any block of a prefill.
 */
final class FlashAttention {
    private static final VectorSpecies<Float> F = Vec.F;
    private static final int L = Vec.L;
    /** Keys per online-softmax step; blocks start at multiples of it so results do not depend on batching. */
    static final int KEY_BLOCK = 64;
    private static final float NEG_INF = Float.NEGATIVE_INFINITY;

    private static final ThreadLocal<FlashAttention> SCRATCH = ThreadLocal.withInitial(FlashAttention::new);

    /** Queries padded to whole vectors. */
    private int width;
    private float[] qt = new float[0];
    private float[] ot = new float[0];
    /** Scores, then probabilities, of one key block: [key][query]. */
    private float[] sp = new float[0];
    private float[] max = new float[0];
    private float[] sum = new float[0];
    private float[] alpha = new float[0];
    /** Each query's first and last visible key position, as floats for lane-wise compares (exact below 2^24). */
    private float[] lo = new float[0];
    private float[] hi = new float[0];
    private final float[][] keyRows = new float[KEY_BLOCK][];
    private final float[][] valueRows = new float[KEY_BLOCK][];
    private final int[] rowOffsets = new int[KEY_BLOCK];

    private FlashAttention() {
    }

    /** What one attention layer reads: shapes, the cache and the step. */
    record Layer(int heads, int kvHeads, int headDim, int window, int layer, int kvDim, CpuKvCache cache, Step step) {
        int group() {
            return heads / kvHeads;
        }

        int qDim() {
            return heads * headDim;
        }
    }

    /**
     * Rows [r0, r1) of the step (one sequence, positions ascending), heads {@code kvHead * group ..} of q
     * ([rows, heads * headDim]) into the same place of out. Each row sees positions [pos - window + 1, pos]
     * (from 0 without a window) of its sequence, including keys this step has already stored.
     */
    static void block(Layer a, float[] q, float[] out, int r0, int r1, int kvHead) {
        SCRATCH.get().compute(a, q, out, r0, r1, kvHead);
    }

    private void compute(Layer a, float[] q, float[] out, int r0, int r1, int kvHead) {
        int headDim = a.headDim();
        int group = a.group();
        int nq = (r1 - r0) * group;
        prepare((nq + L - 1) / L * L, headDim);
        int minLo = Integer.MAX_VALUE, maxHi = -1, maxLo = 0, minHi = Integer.MAX_VALUE;
        for (int r = r0; r < r1; r++) {
            int pos = a.step().positions()[r];
            int from = a.window() > 0 ? Math.max(0, pos - a.window() + 1) : 0;
            minLo = Math.min(minLo, from);
            maxHi = Math.max(maxHi, pos);
            maxLo = Math.max(maxLo, from);
            minHi = Math.min(minHi, pos);
            for (int g = 0; g < group; g++) {
                int i = (r - r0) * group + g;
                int qOff = r * a.qDim() + (kvHead * group + g) * headDim;
                for (int d = 0; d < headDim; d++) qt[d * width + i] = q[qOff + d];
                lo[i] = from;
                hi[i] = pos;
            }
        }
        for (int i = nq; i < width; i++) {
            for (int d = 0; d < headDim; d++) qt[d * width + i] = 0f;
            lo[i] = Float.POSITIVE_INFINITY; // padding lanes see no key
            hi[i] = -1;
        }
        java.util.Arrays.fill(max, 0, width, NEG_INF);
        java.util.Arrays.fill(sum, 0, width, 0f);
        java.util.Arrays.fill(ot, 0, headDim * width, 0f);
        CpuKvCache.Sequence seq = a.cache().get(a.step().sequences()[r0]);
        float scale = (float) (1.0 / Math.sqrt(headDim));
        int kvOff = kvHead * headDim;
        for (int k0 = minLo - minLo % KEY_BLOCK; k0 <= maxHi; k0 += KEY_BLOCK) {
            // keys before minLo or after maxHi are masked for every query: skipping them changes no bits
            int first = Math.max(k0, minLo);
            int n = Math.min(k0 + KEY_BLOCK, maxHi + 1) - first;
            locate(seq, a.layer(), a.kvDim(), kvOff, first, n);
            // keys every query sees need no mask (padding lanes then score 0 and are never read)
            boolean masked = first < maxLo || first + n - 1 > minHi;
            scores(headDim, n, first, scale, masked);
            softmax(n, masked);
            accumulate(headDim, n);
        }
        for (int r = r0; r < r1; r++) {
            for (int g = 0; g < group; g++) {
                int i = (r - r0) * group + g;
                int oOff = r * a.qDim() + (kvHead * group + g) * headDim;
                float l = sum[i];
                for (int d = 0; d < headDim; d++) out[oOff + d] = ot[d * width + i] / l;
            }
        }
    }

    private void prepare(int width, int headDim) {
        this.width = width;
        if (qt.length < width * headDim) {
            qt = new float[width * headDim];
            ot = new float[width * headDim];
        }
        if (sp.length < width * KEY_BLOCK) sp = new float[width * KEY_BLOCK];
        if (max.length < width) {
            max = new float[width];
            sum = new float[width];
            alpha = new float[width];
            lo = new float[width];
            hi = new float[width];
        }
    }

    /** Where keys and values of positions [first, first + n) live: the sequence, or the parent holding them. */
    private void locate(CpuKvCache.Sequence seq, int layer, int kvDim, int kvOff, int first, int n) {
        CpuKvCache.Sequence cur = seq;
        for (int j = n - 1; j >= 0; j--) { // descending: the walk into parents only ever goes up
            int p = first + j;
            while (p < cur.prefixLength) cur = cur.parent;
            keyRows[j] = cur.keys[layer];
            valueRows[j] = cur.values[layer];
            rowOffsets[j] = (p - cur.prefixLength) * kvDim + kvOff;
        }
    }

    /** sp[j][i] = scale * q_i . k_j, or -inf where key j is outside query i's range. */
    private void scores(int headDim, int n, int first, float scale, boolean masked) {
        int j = 0;
        for (; j + 8 <= n; j += 8) {
            int iv = 0;
            for (; iv + 2 * L <= width; iv += 2 * L) scores8x2(headDim, j, iv, scale);
            for (; iv < width; iv += L) {
                scores4x1(headDim, j, iv, scale);
                scores4x1(headDim, j + 4, iv, scale);
            }
        }
        for (; j + 4 <= n; j += 4) {
            for (int iv = 0; iv < width; iv += L) scores4x1(headDim, j, iv, scale);
        }
        for (; j < n; j++) {
            for (int iv = 0; iv < width; iv += L) scores1x1(headDim, j, iv, scale);
        }
        if (!masked) return;
        for (j = 0; j < n; j++) {
            float p = first + j;
            for (int iv = 0; iv < width; iv += L) {
                int at = j * width + iv;
                VectorMask<Float> seen = FloatVector.fromArray(F, lo, iv).compare(VectorOperators.LE, p)
                        .and(FloatVector.fromArray(F, hi, iv).compare(VectorOperators.GE, p));
                FloatVector.fromArray(F, sp, at).blend(NEG_INF, seen.not()).intoArray(sp, at);
            }
        }
    }

    /** Keys j..j+7 times two vectors of queries: 16 accumulators, 2 query loads and 8 key broadcasts per column. */
    private void scores8x2(int headDim, int j, int iv, float scale) {
        float[] k0 = keyRows[j], k1 = keyRows[j + 1], k2 = keyRows[j + 2], k3 = keyRows[j + 3];
        float[] k4 = keyRows[j + 4], k5 = keyRows[j + 5], k6 = keyRows[j + 6], k7 = keyRows[j + 7];
        int o0 = rowOffsets[j], o1 = rowOffsets[j + 1], o2 = rowOffsets[j + 2], o3 = rowOffsets[j + 3];
        int o4 = rowOffsets[j + 4], o5 = rowOffsets[j + 5], o6 = rowOffsets[j + 6], o7 = rowOffsets[j + 7];
        FloatVector a0 = FloatVector.zero(F), b0 = a0, a1 = a0, b1 = a0, a2 = a0, b2 = a0, a3 = a0, b3 = a0;
        FloatVector a4 = a0, b4 = a0, a5 = a0, b5 = a0, a6 = a0, b6 = a0, a7 = a0, b7 = a0;
        for (int d = 0; d < headDim; d++) {
            FloatVector qa = FloatVector.fromArray(F, qt, d * width + iv);
            FloatVector qb = FloatVector.fromArray(F, qt, d * width + iv + L);
            FloatVector k = FloatVector.broadcast(F, k0[o0 + d]);
            a0 = qa.fma(k, a0);
            b0 = qb.fma(k, b0);
            k = FloatVector.broadcast(F, k1[o1 + d]);
            a1 = qa.fma(k, a1);
            b1 = qb.fma(k, b1);
            k = FloatVector.broadcast(F, k2[o2 + d]);
            a2 = qa.fma(k, a2);
            b2 = qb.fma(k, b2);
            k = FloatVector.broadcast(F, k3[o3 + d]);
            a3 = qa.fma(k, a3);
            b3 = qb.fma(k, b3);
            k = FloatVector.broadcast(F, k4[o4 + d]);
            a4 = qa.fma(k, a4);
            b4 = qb.fma(k, b4);
            k = FloatVector.broadcast(F, k5[o5 + d]);
            a5 = qa.fma(k, a5);
            b5 = qb.fma(k, b5);
            k = FloatVector.broadcast(F, k6[o6 + d]);
            a6 = qa.fma(k, a6);
            b6 = qb.fma(k, b6);
            k = FloatVector.broadcast(F, k7[o7 + d]);
            a7 = qa.fma(k, a7);
            b7 = qb.fma(k, b7);
        }
        int at = j * width + iv;
        a0.mul(scale).intoArray(sp, at);
        b0.mul(scale).intoArray(sp, at + L);
        a1.mul(scale).intoArray(sp, at + width);
        b1.mul(scale).intoArray(sp, at + width + L);
        a2.mul(scale).intoArray(sp, at + 2 * width);
        b2.mul(scale).intoArray(sp, at + 2 * width + L);
        a3.mul(scale).intoArray(sp, at + 3 * width);
        b3.mul(scale).intoArray(sp, at + 3 * width + L);
        a4.mul(scale).intoArray(sp, at + 4 * width);
        b4.mul(scale).intoArray(sp, at + 4 * width + L);
        a5.mul(scale).intoArray(sp, at + 5 * width);
        b5.mul(scale).intoArray(sp, at + 5 * width + L);
        a6.mul(scale).intoArray(sp, at + 6 * width);
        b6.mul(scale).intoArray(sp, at + 6 * width + L);
        a7.mul(scale).intoArray(sp, at + 7 * width);
        b7.mul(scale).intoArray(sp, at + 7 * width + L);
    }

    private void scores4x1(int headDim, int j, int iv, float scale) {
        float[] k0 = keyRows[j], k1 = keyRows[j + 1], k2 = keyRows[j + 2], k3 = keyRows[j + 3];
        int o0 = rowOffsets[j], o1 = rowOffsets[j + 1], o2 = rowOffsets[j + 2], o3 = rowOffsets[j + 3];
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        for (int d = 0; d < headDim; d++) {
            FloatVector qa = FloatVector.fromArray(F, qt, d * width + iv);
            a0 = qa.fma(FloatVector.broadcast(F, k0[o0 + d]), a0);
            a1 = qa.fma(FloatVector.broadcast(F, k1[o1 + d]), a1);
            a2 = qa.fma(FloatVector.broadcast(F, k2[o2 + d]), a2);
            a3 = qa.fma(FloatVector.broadcast(F, k3[o3 + d]), a3);
        }
        a0.mul(scale).intoArray(sp, j * width + iv);
        a1.mul(scale).intoArray(sp, (j + 1) * width + iv);
        a2.mul(scale).intoArray(sp, (j + 2) * width + iv);
        a3.mul(scale).intoArray(sp, (j + 3) * width + iv);
    }

    private void scores1x1(int headDim, int j, int iv, float scale) {
        float[] k0 = keyRows[j];
        int o0 = rowOffsets[j];
        FloatVector a0 = FloatVector.zero(F);
        for (int d = 0; d < headDim; d++) {
            a0 = FloatVector.fromArray(F, qt, d * width + iv).fma(FloatVector.broadcast(F, k0[o0 + d]), a0);
        }
        a0.mul(scale).intoArray(sp, j * width + iv);
    }

    /**
     * The online-softmax step: m_new = max(m, max_j s_j), alpha = e^(m - m_new), p_j = e^(s_j - m_new) (0 where
     * masked), l = l * alpha + sum_j p_j in key order. A query that has seen no key yet keeps m = -inf and l = 0.
     */
    private void softmax(int n, boolean masked) {
        for (int iv = 0; iv < width; iv += L) {
            FloatVector m = FloatVector.fromArray(F, max, iv);
            FloatVector blockMax = FloatVector.broadcast(F, NEG_INF);
            for (int j = 0; j < n; j++) blockMax = blockMax.max(FloatVector.fromArray(F, sp, j * width + iv));
            FloatVector mNew = m.max(blockMax);
            VectorMask<Float> none = mNew.compare(VectorOperators.EQ, NEG_INF);
            // -inf - -inf would be NaN; with no key seen O and l are 0 and any finite alpha leaves them so
            FloatVector scaleOld = Exp.exp(m.sub(mNew)).blend(1f, none);
            FloatVector l = FloatVector.fromArray(F, sum, iv).mul(scaleOld);
            for (int j = 0; j < n; j++) {
                int at = j * width + iv;
                FloatVector s = FloatVector.fromArray(F, sp, at);
                FloatVector p = Exp.exp(s.sub(mNew));
                if (masked) p = p.blend(0f, s.compare(VectorOperators.EQ, NEG_INF));
                p.intoArray(sp, at);
                l = l.add(p);
            }
            mNew.intoArray(max, iv);
            l.intoArray(sum, iv);
            scaleOld.intoArray(alpha, iv);
        }
    }

    /** O[d][i] = O[d][i] * alpha_i + sum_j v_j[d] * p_j[i], in key order. */
    private void accumulate(int headDim, int n) {
        int iv = 0;
        for (; iv + 2 * L <= width; iv += 2 * L) {
            FloatVector al = FloatVector.fromArray(F, alpha, iv), bl = FloatVector.fromArray(F, alpha, iv + L);
            int d = 0;
            for (; d + 8 <= headDim; d += 8) accumulate8x2(n, d, iv, al, bl);
            for (; d < headDim; d++) {
                accumulate1(n, d, iv, al);
                accumulate1(n, d, iv + L, bl);
            }
        }
        for (; iv < width; iv += L) {
            FloatVector al = FloatVector.fromArray(F, alpha, iv);
            int d = 0;
            for (; d + 4 <= headDim; d += 4) accumulate4(n, d, iv, al);
            for (; d < headDim; d++) accumulate1(n, d, iv, al);
        }
    }

    private void accumulate1(int n, int d, int iv, FloatVector al) {
        FloatVector o = FloatVector.fromArray(F, ot, d * width + iv).mul(al);
        for (int j = 0; j < n; j++) {
            o = FloatVector.fromArray(F, sp, j * width + iv).fma(FloatVector.broadcast(F, valueRows[j][rowOffsets[j] + d]), o);
        }
        o.intoArray(ot, d * width + iv);
    }

    /** Columns d..d+7 for two vectors of queries: 16 accumulators, 2 probability loads and 8 broadcasts per key. */
    private void accumulate8x2(int n, int d, int iv, FloatVector al, FloatVector bl) {
        int r0 = d * width + iv;
        FloatVector a0 = FloatVector.fromArray(F, ot, r0).mul(al), b0 = FloatVector.fromArray(F, ot, r0 + L).mul(bl);
        FloatVector a1 = FloatVector.fromArray(F, ot, r0 + width).mul(al), b1 = FloatVector.fromArray(F, ot, r0 + width + L).mul(bl);
        FloatVector a2 = FloatVector.fromArray(F, ot, r0 + 2 * width).mul(al), b2 = FloatVector.fromArray(F, ot, r0 + 2 * width + L).mul(bl);
        FloatVector a3 = FloatVector.fromArray(F, ot, r0 + 3 * width).mul(al), b3 = FloatVector.fromArray(F, ot, r0 + 3 * width + L).mul(bl);
        FloatVector a4 = FloatVector.fromArray(F, ot, r0 + 4 * width).mul(al), b4 = FloatVector.fromArray(F, ot, r0 + 4 * width + L).mul(bl);
        FloatVector a5 = FloatVector.fromArray(F, ot, r0 + 5 * width).mul(al), b5 = FloatVector.fromArray(F, ot, r0 + 5 * width + L).mul(bl);
        FloatVector a6 = FloatVector.fromArray(F, ot, r0 + 6 * width).mul(al), b6 = FloatVector.fromArray(F, ot, r0 + 6 * width + L).mul(bl);
        FloatVector a7 = FloatVector.fromArray(F, ot, r0 + 7 * width).mul(al), b7 = FloatVector.fromArray(F, ot, r0 + 7 * width + L).mul(bl);
        for (int j = 0; j < n; j++) {
            FloatVector pa = FloatVector.fromArray(F, sp, j * width + iv);
            FloatVector pb = FloatVector.fromArray(F, sp, j * width + iv + L);
            float[] v = valueRows[j];
            int at = rowOffsets[j] + d;
            FloatVector x = FloatVector.broadcast(F, v[at]);
            a0 = pa.fma(x, a0);
            b0 = pb.fma(x, b0);
            x = FloatVector.broadcast(F, v[at + 1]);
            a1 = pa.fma(x, a1);
            b1 = pb.fma(x, b1);
            x = FloatVector.broadcast(F, v[at + 2]);
            a2 = pa.fma(x, a2);
            b2 = pb.fma(x, b2);
            x = FloatVector.broadcast(F, v[at + 3]);
            a3 = pa.fma(x, a3);
            b3 = pb.fma(x, b3);
            x = FloatVector.broadcast(F, v[at + 4]);
            a4 = pa.fma(x, a4);
            b4 = pb.fma(x, b4);
            x = FloatVector.broadcast(F, v[at + 5]);
            a5 = pa.fma(x, a5);
            b5 = pb.fma(x, b5);
            x = FloatVector.broadcast(F, v[at + 6]);
            a6 = pa.fma(x, a6);
            b6 = pb.fma(x, b6);
            x = FloatVector.broadcast(F, v[at + 7]);
            a7 = pa.fma(x, a7);
            b7 = pb.fma(x, b7);
        }
        a0.intoArray(ot, r0);
        b0.intoArray(ot, r0 + L);
        a1.intoArray(ot, r0 + width);
        b1.intoArray(ot, r0 + width + L);
        a2.intoArray(ot, r0 + 2 * width);
        b2.intoArray(ot, r0 + 2 * width + L);
        a3.intoArray(ot, r0 + 3 * width);
        b3.intoArray(ot, r0 + 3 * width + L);
        a4.intoArray(ot, r0 + 4 * width);
        b4.intoArray(ot, r0 + 4 * width + L);
        a5.intoArray(ot, r0 + 5 * width);
        b5.intoArray(ot, r0 + 5 * width + L);
        a6.intoArray(ot, r0 + 6 * width);
        b6.intoArray(ot, r0 + 6 * width + L);
        a7.intoArray(ot, r0 + 7 * width);
        b7.intoArray(ot, r0 + 7 * width + L);
    }

    private void accumulate4(int n, int d, int iv, FloatVector al) {
        FloatVector o0 = FloatVector.fromArray(F, ot, d * width + iv).mul(al);
        FloatVector o1 = FloatVector.fromArray(F, ot, (d + 1) * width + iv).mul(al);
        FloatVector o2 = FloatVector.fromArray(F, ot, (d + 2) * width + iv).mul(al);
        FloatVector o3 = FloatVector.fromArray(F, ot, (d + 3) * width + iv).mul(al);
        for (int j = 0; j < n; j++) {
            FloatVector p = FloatVector.fromArray(F, sp, j * width + iv);
            float[] v = valueRows[j];
            int at = rowOffsets[j] + d;
            o0 = p.fma(FloatVector.broadcast(F, v[at]), o0);
            o1 = p.fma(FloatVector.broadcast(F, v[at + 1]), o1);
            o2 = p.fma(FloatVector.broadcast(F, v[at + 2]), o2);
            o3 = p.fma(FloatVector.broadcast(F, v[at + 3]), o3);
        }
        o0.intoArray(ot, d * width + iv);
        o1.intoArray(ot, (d + 1) * width + iv);
        o2.intoArray(ot, (d + 2) * width + iv);
        o3.intoArray(ot, (d + 3) * width + iv);
    }
}
