package dev.srr.engine;

import dev.srr.compute.KvSequence;
import dev.srr.compute.Step;
import dev.srr.compute.StepRequest;

import java.util.List;

/** Greedy continuation of one sequence with the KV cache: one prefill, then one row per step. */
public final class GreedyDecoder {
    private GreedyDecoder() {
    }

    /** Up to {@code maxNew} ids, each the most likely after the ones before; stops after an id of {@code stopIds}. */
    public static int[] continueGreedy(ForwardDriver forward, int[] prompt, int maxNew, int[] stopIds) {
        try (KvSequence seq = forward.cache().open()) {
            float[] logits = forward.append(List.of(prompt), List.of(seq), CaptureRequest.lastLogits()).getFirst().logits();
            int[] out = new int[maxNew];
            int n = 0;
            int pos = prompt.length;
            while (n < maxNew) {
                int next = argmax(logits);
                out[n++] = next;
                if (contains(stopIds, next) || n == maxNew) break;
                logits = forward.step(StepRequest.logits(new Step(new int[]{next}, new int[]{seq.id()}, new int[]{pos++}), 0)).logits();
            }
            return java.util.Arrays.copyOf(out, n);
        }
    }

    public static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
        return best;
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) if (x == v) return true;
        return false;
    }
}
