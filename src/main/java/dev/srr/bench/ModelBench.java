package dev.srr.bench;

import dev.srr.compute.KvCache;
import dev.srr.compute.KvSequence;
import dev.srr.compute.KvSequences;
import dev.srr.compute.Step;
import dev.srr.compute.StepRequest;
import dev.srr.engine.CaptureRequest;
import dev.srr.engine.GreedyDecoder;
import dev.srr.engine.Pooling;
import dev.srr.engine.ForwardDriver;
import dev.srr.model.ModelConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The workloads of {@code srr bench}, each returning tokens per second of one run. Token ids are seeded
 * random (throughput does not depend on them; attention cost does depend on lengths, which are fixed).
 */
public final class ModelBench implements AutoCloseable {
    private final ForwardDriver forward;
    private final ModelConfig config;
    private final Random random = new Random(7);
    /** Prefilled contexts by depth, shared by the decode runs at that depth. */
    private final java.util.Map<Integer, KvSequence> contexts = new java.util.HashMap<>();

    public ModelBench(ForwardDriver forward) {
        this.forward = forward;
        this.config = forward.config();
    }

    private int[] tokens(int n) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) t[i] = random.nextInt(config.vocabSize());
        return t;
    }

    private static double perSecond(long tokens, long startNanos) {
        return tokens / ((System.nanoTime() - startNanos) / 1e9);
    }

    /** Prompt processing: one sequence of {@code n} tokens in one batched step, logits of the last row (pp). */
    public double prefill(int n) {
        int[] prompt = tokens(n);
        CaptureRequest req = CaptureRequest.lastLogits();
        long t0 = System.nanoTime();
        forward.run(List.of(prompt), req);
        return perSecond(n, t0);
    }

    /**
     * Decode: {@code k} sequences forked from a shared context of {@code depth} seeded random tokens, then
     * {@code n} steps of one token each, all k rows in one step, greedy from their own logits. Aggregate tokens/s
     * of the steps only. k = 1 at depth 0 is llama-bench's {@code tg}; k = 1 at depth d its {@code tg @ d}, where
     * every step attends over d earlier positions. The context is prefilled once, on first use, and each run
     * forks from it, so repeats time the steps and not the prefill.
     */
    public double decode(int n, int k, int depth) {
        KvCache cache = forward.cache();
        try (KvSequences seqs = new KvSequences()) {
            KvSequence parent = depth > 0 ? context(depth) : null;
            for (int s = 0; s < k; s++) seqs.add(parent != null ? parent.fork(depth) : cache.open());
            int[] ids = seqs.stream().mapToInt(KvSequence::id).toArray();
            int[] next = new int[k];
            for (int s = 0; s < k; s++) next[s] = random.nextInt(config.vocabSize());
            int[] all = new int[k];
            for (int s = 0; s < k; s++) all[s] = s;
            int vocab = config.vocabSize();
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                int[] positions = new int[k];
                java.util.Arrays.fill(positions, depth + i);
                float[] logits = forward.step(StepRequest.logits(new Step(next.clone(), ids, positions), all)).logits();
                for (int s = 0; s < k; s++) next[s] = argmax(logits, s * vocab, vocab);
            }
            return perSecond((long) n * k, t0);
        }
    }

    /** The shared context of {@code depth} tokens, prefilled on first use and kept until {@link #close()}. */
    private KvSequence context(int depth) {
        KvSequence parent = contexts.get(depth);
        if (parent == null) {
            parent = forward.cache().open();
            forward.append(List.of(tokens(depth)), List.of(parent), CaptureRequest.lastLogits());
            contexts.put(depth, parent);
        }
        return parent;
    }

    /** Releases the cached contexts' KV memory. */
    @Override
    public void close() {
        contexts.values().forEach(KvSequence::close);
        contexts.clear();
    }

    private static int argmax(float[] v, int off, int n) {
        if (off == 0 && n == v.length) return GreedyDecoder.argmax(v);
        int best = 0;
        for (int i = 1; i < n; i++) if (v[off + i] > v[off + best]) best = i;
        return best;
    }

    /**
     * SRR feature encoding: {@code lists} token lists of {@code length} each in one batched forward, mean-pooled
     * hidden state at {@code layer} (a hidden_states index), no logits. The forward stops at that layer.
     */
    public double encode(int lists, int length, int layer) {
        return encode(lists, length, CaptureRequest.of(new int[]{layer}, Pooling.MEAN));
    }

    /** The same features the way a plain full forward gets them: every layer and logits for every position. */
    public double encodeWithAllLogits(int lists, int length) {
        return encode(lists, length, new CaptureRequest(new int[]{config.numLayers()}, new Pooling[]{Pooling.MEAN},
                false, CaptureRequest.Logits.ALL));
    }

    private double encode(int lists, int length, CaptureRequest request) {
        List<int[]> seqs = new ArrayList<>();
        for (int i = 0; i < lists; i++) seqs.add(tokens(length));
        long t0 = System.nanoTime();
        forward.run(seqs, request);
        return perSecond((long) lists * length, t0);
    }
}
