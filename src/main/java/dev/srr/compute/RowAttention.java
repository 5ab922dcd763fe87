package dev.srr.compute;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Attention of one query row (decode) and one head, key by key: a vector dot product per key and head,
 * softmax, then a weighted sum of value rows. {@link FlashAttention} puts queries in vector lanes, which for one
 * row of a small head group leaves most lanes empty (3 of 16 for a group of 3: twice the time of this loop at 512
 * keys); here the lanes run along the head dimension instead.
 */
final class RowAttention {
    private static final VectorSpecies<Float> F = Vec.F;
    private static final int L = Vec.L;
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /**
     * A thread's scores (grown to the longest key range seen, no allocation per decode step) and the row's keys
     * as spans of cache arrays: the sequence's own positions first, then its parents' down to the window's start.
     */
    private static final class Scratch {
        float[] scores = new float[256];
        int spans;
        CpuKvCache.Sequence[] sequence = new CpuKvCache.Sequence[4];
        int[] lo = new int[4];
        int[] hi = new int[4];

        void locate(CpuKvCache.Sequence seq, int start, int pos) {
            spans = 0;
            CpuKvCache.Sequence cur = seq;
            int end = pos + 1;
            while (true) {
                if (spans == sequence.length) {
                    sequence = java.util.Arrays.copyOf(sequence, spans * 2);
                    lo = java.util.Arrays.copyOf(lo, spans * 2);
                    hi = java.util.Arrays.copyOf(hi, spans * 2);
                }
                sequence[spans] = cur;
                lo[spans] = Math.max(cur.prefixLength, start);
                hi[spans++] = end;
                end = cur.prefixLength;
                if (end <= start || cur.parent == null) break;
                cur = cur.parent;
            }
        }
    }

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
        Scratch k = SCRATCH.get();
        if (k.scores.length < n) k.scores = new float[Math.max(n, k.scores.length * 2)];
        float[] scores = k.scores;
        k.locate(a.cache().get(a.step().sequences()[r]), start, pos);
        float scale = (float) (1.0 / Math.sqrt(headDim));
        int kvOff = (head / a.group()) * headDim;
        int off = r * a.qDim() + head * headDim;
        float max = Float.NEGATIVE_INFINITY;
        for (int s = 0; s < k.spans; s++) {
            float[] keys = k.sequence[s].keys[layer];
            int base = kvOff - k.sequence[s].prefixLength * kvDim;
            if (headDim == 4 * L) {
                max = Math.max(max, scores4(q, off, keys, base, kvDim, k.lo[s], k.hi[s], scale, scores, start));
            } else {
                for (int t = k.lo[s]; t < k.hi[s]; t++) {
                    float dot = CpuKernels.dot(q, off, keys, t * kvDim + base, headDim) * scale;
                    scores[t - start] = dot;
                    max = Math.max(max, dot);
                }
            }
        }
        // e^(s - max) a vector at a time (the same bits as Exp's scalar form), summed in key order
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            Exp.exp(FloatVector.fromArray(F, scores, i).sub(max)).intoArray(scores, i);
        }
        for (; i < n; i++) scores[i] = Exp.exp(scores[i] - max);
        float sum = 0;
        for (int j = 0; j < n; j++) sum += scores[j];
        float inv = 1f / sum;
        for (int d0 = 0; d0 < headDim; d0 += 4 * L) {
            if (d0 + 4 * L <= headDim) values4(k, layer, kvDim, kvOff + d0, start, inv, out, off + d0);
            else valuesTail(k, layer, kvDim, kvOff + d0, start, inv, out, off + d0, headDim - d0);
        }
        java.util.Arrays.fill(k.sequence, 0, k.spans, null); // a thread's scratch must not keep freed caches alive
    }

    /**
     * Scores of keys [lo, hi) against a query of exactly 4 vectors held in registers, into {@code scores[t -
     * start]}; returns their maximum. Each key's dot product runs the operations of {@link CpuKernels#dot} in its
     * order (one accumulator over the four chunks, then {@link Lanes#sum}), so the bits are the same; only the
     * query's loads move out of the loop.
     */
    private static float scores4(float[] q, int off, float[] keys, int base, int kvDim, int lo, int hi, float scale,
                                 float[] scores, int start) {
        FloatVector q0 = FloatVector.fromArray(F, q, off), q1 = FloatVector.fromArray(F, q, off + L);
        FloatVector q2 = FloatVector.fromArray(F, q, off + 2 * L), q3 = FloatVector.fromArray(F, q, off + 3 * L);
        FloatVector zero = FloatVector.zero(F);
        float max = Float.NEGATIVE_INFINITY;
        for (int t = lo; t < hi; t++) {
            int k = t * kvDim + base;
            FloatVector acc = q0.fma(FloatVector.fromArray(F, keys, k), zero);
            acc = q1.fma(FloatVector.fromArray(F, keys, k + L), acc);
            acc = q2.fma(FloatVector.fromArray(F, keys, k + 2 * L), acc);
            acc = q3.fma(FloatVector.fromArray(F, keys, k + 3 * L), acc);
            float s = Lanes.sum(acc) * scale;
            scores[t - start] = s;
            max = Math.max(max, s);
        }
        return max;
    }

    /**
     * {@code out[at .. at + 4L) = sum_t p[t] * inv * v_t[col ..]} over the row's keys in the order they were
     * scored, in four register accumulators: the fused multiply-adds of an axpy per key, without storing and
     * reloading the running sums for every key (a store-to-load chain that bounded this loop).
     */
    private static void values4(Scratch k, int layer, int kvDim, int col, int start, float inv, float[] out, int at) {
        float[] p = k.scores;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        for (int s = 0; s < k.spans; s++) {
            float[] values = k.sequence[s].values[layer];
            int base = col - k.sequence[s].prefixLength * kvDim;
            for (int t = k.lo[s]; t < k.hi[s]; t++) {
                FloatVector w = FloatVector.broadcast(F, p[t - start] * inv);
                int b = t * kvDim + base;
                a0 = w.fma(FloatVector.fromArray(F, values, b), a0);
                a1 = w.fma(FloatVector.fromArray(F, values, b + L), a1);
                a2 = w.fma(FloatVector.fromArray(F, values, b + 2 * L), a2);
                a3 = w.fma(FloatVector.fromArray(F, values, b + 3 * L), a3);
            }
        }
        a0.intoArray(out, at);
        a1.intoArray(out, at + L);
        a2.intoArray(out, at + 2 * L);
        a3.intoArray(out, at + 3 * L);
    }

    /** As {@link #values4} for the last {@code n < 4L} columns, an axpy per key into {@code out}. */
    private static void valuesTail(Scratch k, int layer, int kvDim, int col, int start, float inv, float[] out,
                                   int at, int n) {
        java.util.Arrays.fill(out, at, at + n, 0f);
        for (int s = 0; s < k.spans; s++) {
            float[] values = k.sequence[s].values[layer];
            int base = col - k.sequence[s].prefixLength * kvDim;
            for (int t = k.lo[s]; t < k.hi[s]; t++) {
                CpuKernels.axpy(k.scores[t - start] * inv, values, t * kvDim + base, out, at, n);
            }
        }
    }
}
