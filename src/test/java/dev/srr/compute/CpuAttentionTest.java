package dev.srr.compute;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Blocked attention against a plain double-precision softmax(q k^T / sqrt(d)) v over a shadow copy of every
 * sequence's keys and values by absolute position: causal, grouped-query, sliding windows, forks that continue a
 * parent's prefix (two levels deep), rows of several sequences in one step, prompts longer than many blocks.
 */
class CpuAttentionTest {
    static final int HEADS = 6, KV_HEADS = 2;
    /**
     * 90: not a multiple of any vector or of 4 (with 16 lanes: a 64-wide register chunk, a vector tail and a
     * scalar tail); 4 vectors: the size decode scores with the query held in registers.
     */
    static final int[] HEAD_DIMS = {90, 4 * Vec.L};

    /** The cache under test plus, per sequence id, all keys and values it can see, by absolute position. */
    static final class World {
        final int headDim, kvDim, qDim;
        final CpuKvCache cache;
        final Map<Integer, List<float[]>> keys = new HashMap<>();
        final Map<Integer, List<float[]>> values = new HashMap<>();
        final Random rnd = new Random(7);
        final int window;

        World(int window, int headDim) {
            this.window = window;
            this.headDim = headDim;
            this.kvDim = KV_HEADS * headDim;
            this.qDim = HEADS * headDim;
            this.cache = new CpuKvCache(1, kvDim, 8192);
        }

        int open() {
            int id = cache.newSequence();
            keys.put(id, new ArrayList<>());
            values.put(id, new ArrayList<>());
            return id;
        }

        int fork(int parent, int prefix) {
            int id = cache.fork(parent, prefix);
            keys.put(id, new ArrayList<>(keys.get(parent).subList(0, prefix)));
            values.put(id, new ArrayList<>(values.get(parent).subList(0, prefix)));
            return id;
        }

        /** Runs one step of rows (sequence, position) with random q, k, v; checks every output, returns them. */
        float[] step(int[] sequences, int[] positions) {
            int rows = sequences.length;
            float[] q = gaussian(rows * qDim), k = gaussian(rows * kvDim), v = gaussian(rows * kvDim);
            float[] out = new float[rows * qDim];
            CpuAttention.run(HEADS, KV_HEADS, headDim, window, cache, 0, new Step(new int[rows], sequences, positions), q, k, v, out);
            for (int r = 0; r < rows; r++) {
                List<float[]> ks = keys.get(sequences[r]), vs = values.get(sequences[r]);
                assertEquals(positions[r], ks.size(), "rows of a sequence come in position order");
                ks.add(java.util.Arrays.copyOfRange(k, r * kvDim, (r + 1) * kvDim));
                vs.add(java.util.Arrays.copyOfRange(v, r * kvDim, (r + 1) * kvDim));
            }
            for (int r = 0; r < rows; r++) {
                for (int h = 0; h < HEADS; h++) {
                    double[] expected = reference(q, r * qDim + h * headDim, keys.get(sequences[r]),
                            values.get(sequences[r]), (h / (HEADS / KV_HEADS)) * headDim, positions[r]);
                    for (int d = 0; d < headDim; d++) {
                        float actual = out[r * qDim + h * headDim + d];
                        assertTrue(Math.abs(actual - expected[d]) <= 2e-6 * (1 + Math.abs(expected[d])),
                                "row " + r + " (seq " + sequences[r] + " pos " + positions[r] + ") head " + h + " d " + d
                                        + ": " + actual + " vs " + expected[d]);
                    }
                }
            }
            return out;
        }

        double[] reference(float[] q, int qOff, List<float[]> ks, List<float[]> vs, int kvOff, int pos) {
            int from = window > 0 ? Math.max(0, pos - window + 1) : 0;
            double[] s = new double[pos + 1];
            double max = Double.NEGATIVE_INFINITY;
            for (int t = from; t <= pos; t++) {
                double dot = 0;
                for (int d = 0; d < headDim; d++) dot += (double) q[qOff + d] * ks.get(t)[kvOff + d];
                s[t] = dot / Math.sqrt(headDim);
                max = Math.max(max, s[t]);
            }
            double sum = 0;
            double[] o = new double[headDim];
            for (int t = from; t <= pos; t++) {
                double e = Math.exp(s[t] - max);
                sum += e;
                for (int d = 0; d < headDim; d++) o[d] += e * vs.get(t)[kvOff + d];
            }
            for (int d = 0; d < headDim; d++) o[d] /= sum;
            return o;
        }

        float[] gaussian(int n) {
            float[] a = new float[n];
            for (int i = 0; i < n; i++) a[i] = (float) rnd.nextGaussian();
            return a;
        }
    }

    static int[] repeat(int value, int n) {
        int[] a = new int[n];
        java.util.Arrays.fill(a, value);
        return a;
    }

    static int[] range(int from, int to) {
        return java.util.stream.IntStream.range(from, to).toArray();
    }

    @Test
    void longPromptThenDecodeMatchesReference() {
        for (int headDim : HEAD_DIMS) {
            World w = new World(0, headDim);
            int s = w.open();
            w.step(repeat(s, 300), range(0, 300)); // 10 query blocks (last one short), 5 key blocks (last one short)
            for (int p = 300; p < 305; p++) w.step(new int[]{s}, new int[]{p});
            w.step(repeat(s, 70), range(305, 375)); // a prompt chunk continuing a cached prefix
        }
    }

    @Test
    void slidingWindowSeesOnlyTheLastPositions() {
        for (int headDim : HEAD_DIMS) {
            for (int window : new int[]{1, 20, 64, 100}) {
                World w = new World(window, headDim);
                int s = w.open();
                w.step(repeat(s, 150), range(0, 150));
                w.step(new int[]{s}, new int[]{150});
                w.step(repeat(s, 3), range(151, 154));
            }
        }
    }

    @Test
    void forksReadTheirParentsPrefixAndStepsMixSequences() {
        for (int headDim : HEAD_DIMS) {
            World w = new World(0, headDim);
            int root = w.open();
            w.step(repeat(root, 100), range(0, 100));
            int child = w.fork(root, 70); // the parent goes on past the fork point: those positions are not the child's
            int sibling = w.fork(root, 100);
            int fresh = w.open();
            // one step: a sibling row, a prompt chunk of the child, a new prompt, the root going on
            int[] seqs = new int[1 + 20 + 5 + 1];
            int[] pos = new int[seqs.length];
            int n = 0;
            seqs[n] = sibling;
            pos[n++] = 100;
            for (int p = 70; p < 90; p++) {
                seqs[n] = child;
                pos[n++] = p;
            }
            for (int p = 0; p < 5; p++) {
                seqs[n] = fresh;
                pos[n++] = p;
            }
            seqs[n] = root;
            pos[n] = 100;
            w.step(seqs, pos);
            int grandchild = w.fork(child, 80); // two levels: positions 0..69 from root, 70..79 from child
            w.step(repeat(grandchild, 40), range(80, 120));
            w.step(new int[]{grandchild, child, sibling}, new int[]{120, 90, 101});
        }
    }

    @Test
    void aRowGivesTheSameBitsInAnyBlockOfAPrefill() {
        for (int headDim : HEAD_DIMS) {
            World w = new World(0, headDim);
            int s = w.open();
            int rows = 200;
            float[] q = w.gaussian(rows * w.qDim), k = w.gaussian(rows * w.kvDim), v = w.gaussian(rows * w.kvDim);
            float[] batch = new float[rows * w.qDim];
            CpuAttention.run(HEADS, KV_HEADS, w.headDim, 0, w.cache, 0, new Step(new int[rows], repeat(s, rows), range(0, rows)), q, k, v, batch);
            int few = 3; // 3 rows x a group of 3 fill more than half a vector: still the blocked kernel
            for (int last : new int[]{2, 31, 32, 63, 64, 150, 199}) {
                int first = last - few + 1;
                float[] block = new float[few * w.qDim];
                CpuAttention.run(HEADS, KV_HEADS, w.headDim, 0, w.cache, 0, new Step(new int[few], repeat(s, few), range(first, last + 1)),
                        java.util.Arrays.copyOfRange(q, first * w.qDim, (last + 1) * w.qDim),
                        java.util.Arrays.copyOfRange(k, first * w.kvDim, (last + 1) * w.kvDim),
                        java.util.Arrays.copyOfRange(v, first * w.kvDim, (last + 1) * w.kvDim), block);
                for (int i = 0; i < few * w.qDim; i++) {
                    assertEquals(Float.floatToIntBits(batch[first * w.qDim + i]), Float.floatToIntBits(block[i]), "rows " + first + ".." + last + " element " + i);
                }
            }
        }
    }
}
