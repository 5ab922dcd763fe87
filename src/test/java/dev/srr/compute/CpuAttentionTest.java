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
    static final int HEADS = 6, KV_HEADS = 2, HEAD_DIM = 90; // 90: not a multiple of any vector or of 4; with 16 lanes, a 64-wide register chunk, a vector tail and a scalar tail
    static final int KV_DIM = KV_HEADS * HEAD_DIM, Q_DIM = HEADS * HEAD_DIM;

    /** The cache under test plus, per sequence id, all keys and values it can see, by absolute position. */
    static final class World {
        final CpuKvCache cache = new CpuKvCache(1, KV_DIM, 8192);
        final Map<Integer, List<float[]>> keys = new HashMap<>();
        final Map<Integer, List<float[]>> values = new HashMap<>();
        final Random rnd = new Random(7);
        final int window;

        World(int window) {
            this.window = window;
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
            float[] q = gaussian(rows * Q_DIM), k = gaussian(rows * KV_DIM), v = gaussian(rows * KV_DIM);
            float[] out = new float[rows * Q_DIM];
            CpuAttention.run(HEADS, KV_HEADS, HEAD_DIM, window, cache, 0, new Step(new int[rows], sequences, positions), q, k, v, out);
            for (int r = 0; r < rows; r++) {
                List<float[]> ks = keys.get(sequences[r]), vs = values.get(sequences[r]);
                assertEquals(positions[r], ks.size(), "rows of a sequence come in position order");
                ks.add(java.util.Arrays.copyOfRange(k, r * KV_DIM, (r + 1) * KV_DIM));
                vs.add(java.util.Arrays.copyOfRange(v, r * KV_DIM, (r + 1) * KV_DIM));
            }
            for (int r = 0; r < rows; r++) {
                for (int h = 0; h < HEADS; h++) {
                    double[] expected = reference(q, r * Q_DIM + h * HEAD_DIM, keys.get(sequences[r]),
                            values.get(sequences[r]), (h / (HEADS / KV_HEADS)) * HEAD_DIM, positions[r]);
                    for (int d = 0; d < HEAD_DIM; d++) {
                        float actual = out[r * Q_DIM + h * HEAD_DIM + d];
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
                for (int d = 0; d < HEAD_DIM; d++) dot += (double) q[qOff + d] * ks.get(t)[kvOff + d];
                s[t] = dot / Math.sqrt(HEAD_DIM);
                max = Math.max(max, s[t]);
            }
            double sum = 0;
            double[] o = new double[HEAD_DIM];
            for (int t = from; t <= pos; t++) {
                double e = Math.exp(s[t] - max);
                sum += e;
                for (int d = 0; d < HEAD_DIM; d++) o[d] += e * vs.get(t)[kvOff + d];
            }
            for (int d = 0; d < HEAD_DIM; d++) o[d] /= sum;
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
        World w = new World(0);
        int s = w.open();
        w.step(repeat(s, 300), range(0, 300)); // 10 query blocks (last one short), 5 key blocks (last one short)
        for (int p = 300; p < 305; p++) w.step(new int[]{s}, new int[]{p});
        w.step(repeat(s, 70), range(305, 375)); // a prompt chunk continuing a cached prefix
    }

    @Test
    void slidingWindowSeesOnlyTheLastPositions() {
        for (int window : new int[]{1, 20, 64, 100}) {
            World w = new World(window);
            int s = w.open();
            w.step(repeat(s, 150), range(0, 150));
            w.step(new int[]{s}, new int[]{150});
            w.step(repeat(s, 3), range(151, 154));
        }
    }

    @Test
    void forksReadTheirParentsPrefixAndStepsMixSequences() {
        World w = new World(0);
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

    @Test
    void aRowGivesTheSameBitsInAnyBlockOfAPrefill() {
        World w = new World(0);
        int s = w.open();
        int rows = 200;
        float[] q = w.gaussian(rows * Q_DIM), k = w.gaussian(rows * KV_DIM), v = w.gaussian(rows * KV_DIM);
        float[] batch = new float[rows * Q_DIM];
        CpuAttention.run(HEADS, KV_HEADS, HEAD_DIM, 0, w.cache, 0, new Step(new int[rows], repeat(s, rows), range(0, rows)), q, k, v, batch);
        int few = 3; // 3 rows x a group of 3 fill more than half a vector: still the blocked kernel
        for (int last : new int[]{2, 31, 32, 63, 64, 150, 199}) {
            int first = last - few + 1;
            float[] block = new float[few * Q_DIM];
            CpuAttention.run(HEADS, KV_HEADS, HEAD_DIM, 0, w.cache, 0, new Step(new int[few], repeat(s, few), range(first, last + 1)),
                    java.util.Arrays.copyOfRange(q, first * Q_DIM, (last + 1) * Q_DIM),
                    java.util.Arrays.copyOfRange(k, first * KV_DIM, (last + 1) * KV_DIM),
                    java.util.Arrays.copyOfRange(v, first * KV_DIM, (last + 1) * KV_DIM), block);
            for (int i = 0; i < few * Q_DIM; i++) {
                assertEquals(Float.floatToIntBits(batch[first * Q_DIM + i]), Float.floatToIntBits(block[i]), "rows " + first + ".." + last + " element " + i);
            }
        }
    }
}
