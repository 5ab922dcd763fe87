package dev.srr.engine;

import dev.srr.compute.Step;

import java.util.List;

/** Greedy continuation of one sequence with the KV cache: one prefill, then one row per step. */
public final class GreedyDecoder {
    private GreedyDecoder() {
    }

    public static int[] continueGreedy(Transformer model, int[] prompt, int maxNew, int[] stopIds) {
        int seq = model.cache().newSequence();
        try {
            CaptureRequest req = new CaptureRequest(new int[0], new Pooling[]{Pooling.LAST}, false, CaptureRequest.Logits.LAST);
            float[] logits = model.forwardInto(List.of(prompt), new int[]{seq}, req, null).getFirst().logits();
            int[] out = new int[maxNew];
            int n = 0;
            int pos = prompt.length;
            while (n < maxNew) {
                int next = argmax(logits);
                out[n++] = next;
                if (contains(stopIds, next) || n == maxNew) break;
                Step step = new Step(new int[]{next}, new int[]{seq}, new int[]{pos++});
                logits = model.step(step, new int[0], new int[0], false, new int[]{0}).logits();
            }
            return java.util.Arrays.copyOf(out, n);
        } finally {
            model.cache().release(seq);
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
