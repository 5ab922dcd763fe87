package dev.srr.engine;

import java.util.Arrays;
import java.util.BitSet;
import java.util.SplittableRandom;

/**
 * One candidate while it decodes: its forked KV-cache sequence, its own sampler (scratch space, so candidates
 * sample in parallel) and random stream, ids so far, the tokens it has seen (for the repetition penalty), and
 * its feature sums. Its last sampled id is "pending" until a step feeds it through the model.
 */
final class CandidateTrack {
    final int index;
    final int sequence;
    final Sampler sampler;
    final SplittableRandom random;
    final BitSet seen;
    private int[] ids;
    private int count;
    private boolean pending;
    private FinishReason finish;
    private final double[] stateSum;
    private float[] lastState;
    private int statesAdded;

    CandidateTrack(int index, int sequence, Sampler sampler, SplittableRandom random, BitSet seen, int capacity, int featureWidth) {
        this.index = index;
        this.sequence = sequence;
        this.sampler = sampler;
        this.random = random;
        this.seen = seen;
        this.ids = new int[capacity];
        this.stateSum = featureWidth > 0 ? new double[featureWidth] : null;
    }

    void add(int token) {
        ids[count++] = token;
        seen.set(token);
        pending = true;
    }

    int lastToken() {
        return ids[count - 1];
    }

    int count() {
        return count;
    }

    int[] ids() {
        return Arrays.copyOf(ids, count);
    }

    boolean live() {
        return finish == null;
    }

    FinishReason finish() {
        return finish;
    }

    void finish(FinishReason reason) {
        finish = reason;
    }

    boolean pending() {
        return pending;
    }

    void fed() {
        pending = false;
    }

    /** Adds the feature-layer state of the token just fed: row {@code row} of {@code rows}. */
    void addState(float[] rows, int row) {
        int d = stateSum.length;
        for (int j = 0; j < d; j++) stateSum[j] += rows[row * d + j];
        lastState = Arrays.copyOfRange(rows, row * d, (row + 1) * d);
        statesAdded++;
    }

    float[] lastState() {
        return lastState;
    }

    float[] meanState() {
        if (stateSum == null || statesAdded == 0) return null;
        float[] mean = new float[stateSum.length];
        for (int j = 0; j < mean.length; j++) mean[j] = (float) (stateSum[j] / statesAdded);
        return mean;
    }
}
