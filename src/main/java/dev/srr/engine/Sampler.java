package dev.srr.engine;

import java.util.Arrays;
import java.util.BitSet;
import java.util.SplittableRandom;

/**
 * Chooses next tokens from logits under {@link SamplingOptions}. Filters follow transformers' logits
 * warpers in their order (temperature, top-k, top-p, min-p), so a token's fate does not depend on how many
 * candidates run or on threads. One instance holds scratch space for one thread.
 */
public final class Sampler {
    private final SamplingOptions options;
    private float[] weights = new float[0];
    private long[] order = new long[0];

    public Sampler(SamplingOptions options) {
        this.options = options;
    }

    public SamplingOptions options() {
        return options;
    }

    /**
     * The random stream of candidate {@code index} under {@code seed}. Seeds are mixed, not added, because
     * SplittableRandom streams of seeds a fixed gamma apart are shifted copies of one another.
     */
    public static SplittableRandom randomFor(long seed, int index) {
        return new SplittableRandom(mix64(seed ^ mix64(0x632BE59BD9B4E019L + index)));
    }

    private static long mix64(long z) { // Stafford variant 13, as SplittableRandom mixes its own state
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * transformers' RepetitionPenaltyLogitsProcessor, in place: each token in {@code seen} gets its positive
     * logit divided by the penalty and its negative logit multiplied by it.
     */
    public static void penalize(float[] logits, BitSet seen, float penalty) {
        if (penalty == 1f) return;
        for (int t = seen.nextSetBit(0); t >= 0 && t < logits.length; t = seen.nextSetBit(t + 1)) {
            logits[t] = logits[t] < 0 ? logits[t] * penalty : logits[t] / penalty;
        }
    }

    /** Applies the penalty to {@code logits} (in place) and picks a token; {@code rng} is unused when greedy. */
    public int sample(float[] logits, BitSet seen, SplittableRandom rng) {
        penalize(logits, seen, options.repetitionPenalty());
        if (options.greedy()) return argmax(logits);
        filter(logits);
        float[] p = weights;
        double total = 0;
        for (int t = 0; t < logits.length; t++) total += p[t];
        double u = rng.nextDouble() * total;
        int last = -1;
        for (int t = 0; t < logits.length; t++) {
            if (p[t] == 0) continue;
            u -= p[t];
            last = t;
            if (u < 0) return t;
        }
        return last; // rounding left u a hair above zero
    }

    /** The unnormalised sampling weights after temperature, top-k, top-p and min-p: filtered tokens weigh 0. */
    public float[] distribution(float[] logits) {
        filter(logits);
        return Arrays.copyOf(weights, logits.length);
    }

    /** Writes the sampling weights of {@code logits} into the scratch array {@code weights}. */
    private void filter(float[] logits) {
        int v = logits.length;
        if (weights.length < v) weights = new float[v];
        float[] w = weights;
        float inv = 1f / options.temperature();
        float max = Float.NEGATIVE_INFINITY;
        for (int t = 0; t < v; t++) {
            w[t] = logits[t] * inv;
            if (w[t] > max) max = w[t];
        }
        float floor = options.topK() > 0 && options.topK() < v ? kthLargest(w, v, options.topK()) : Float.NEGATIVE_INFINITY;
        // softmax numerators; the top-k cut keeps ties with the k-th value, as transformers does
        for (int t = 0; t < v; t++) w[t] = w[t] < floor ? 0f : (float) Math.exp(w[t] - max);
        if (options.topP() < 1f) topP(w, v, options.topP());
        if (options.minP() > 0f) {
            float cut = options.minP(); // relative to the top weight, exp(0) = 1, which survives every filter above
            for (int t = 0; t < v; t++) if (w[t] < cut) w[t] = 0f;
        }
    }

    /**
     * Keeps the smallest set of most probable tokens whose mass reaches {@code p}: a token stays when the
     * mass of the tokens ranked above it is below p. Only tokens above a small floor are sorted when they
     * already hold mass p, since everything below the floor ranks after them.
     */
    private void topP(float[] w, int v, float p) {
        double total = 0;
        for (int t = 0; t < v; t++) total += w[t];
        for (float relative : new float[]{1e-2f, 1e-4f, 0f}) {
            float floor = relative; // the max weight is 1
            double mass = 0;
            int n = 0;
            for (int t = 0; t < v; t++) {
                if (w[t] > 0 && w[t] >= floor) {
                    mass += w[t];
                    n++;
                }
            }
            if (mass / total < p && floor > 0) continue;
            if (order.length < n) order = new long[n];
            int i = 0;
            for (int t = 0; t < v; t++) {
                // weights are non-negative floats, whose bits sort like the values; lower ids first on ties
                if (w[t] > 0 && w[t] >= floor) order[i++] = ((long) Float.floatToIntBits(w[t]) << 32) | (0xFFFFFFFFL - t);
            }
            Arrays.sort(order, 0, n);
            double above = 0;
            int keep = n;
            for (int j = n - 1; j >= 0; j--) {
                if (above / total >= p) {
                    keep = n - 1 - j;
                    break;
                }
                above += Float.intBitsToFloat((int) (order[j] >>> 32));
            }
            for (int t = 0; t < v; t++) w[t] = w[t] < floor ? 0f : w[t];
            for (int j = 0; j < n - keep; j++) w[(int) (0xFFFFFFFFL - (order[j] & 0xFFFFFFFFL))] = 0f;
            return;
        }
    }

    /** The k-th largest of w[0, v), by a min-heap of the k largest seen so far. */
    private static float kthLargest(float[] w, int v, int k) {
        float[] heap = Arrays.copyOf(w, k);
        for (int i = k / 2 - 1; i >= 0; i--) siftDown(heap, i, k);
        for (int t = k; t < v; t++) {
            if (w[t] > heap[0]) {
                heap[0] = w[t];
                siftDown(heap, 0, k);
            }
        }
        return heap[0];
    }

    private static void siftDown(float[] heap, int i, int n) {
        while (true) {
            int l = 2 * i + 1;
            if (l >= n) return;
            int m = l + 1 < n && heap[l + 1] < heap[l] ? l + 1 : l;
            if (heap[i] <= heap[m]) return;
            float tmp = heap[i];
            heap[i] = heap[m];
            heap[m] = tmp;
            i = m;
        }
    }

    public static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
        return best;
    }
}
