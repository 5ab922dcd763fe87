package dev.srr.features;

import dev.srr.data.SafetyList;
import dev.srr.compute.KvSequence;
import dev.srr.compute.KvSequences;
import dev.srr.engine.Capture;
import dev.srr.engine.CaptureRequest;
import dev.srr.engine.Pooling;
import dev.srr.engine.SequenceOutput;
import dev.srr.engine.ForwardDriver;
import dev.srr.tokenizer.ModelTokenizer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the model over a list's texts and keeps the SRR features: the chat-formatted prompt's last-token state,
 * and each candidate's last-token and/or mean state, at every requested layer in one forward per text. In
 * continuation mode the prompt is prefilled once and every candidate forks its KV cache, so candidates of one
 * list cost only their own tokens; the forward stops after the highest requested layer.
 */
public final class FeatureExtractor {
    /** Most candidate tokens encoded in one batched forward (-Dsrr.encode.batchTokens). */
    static final int BATCH_TOKENS = Integer.getInteger("srr.encode.batchTokens", 2048);

    private final ForwardDriver forward;
    private final ModelTokenizer tokenizer;
    private final int[] layers;
    private final Pooling[] poolings;
    private final EncodeMode mode;
    private int truncated;

    public FeatureExtractor(ForwardDriver forward, ModelTokenizer tokenizer, int[] layers, Pooling[] poolings, EncodeMode mode) {
        this.forward = forward;
        this.tokenizer = tokenizer;
        this.layers = layers.clone();
        this.poolings = poolings.clone();
        this.mode = mode;
    }

    /** Candidates whose tokens were cut to fit the model's context so far. */
    public int truncatedCandidates() {
        return truncated;
    }

    /** The list's features at every layer and pooling of this extractor. */
    public ListFeatures extract(SafetyList list) {
        int d = forward.config().hiddenSize();
        int m = list.candidates().size();
        Map<Integer, float[]> instruction = new LinkedHashMap<>();
        Map<Capture, float[]> vectors = new LinkedHashMap<>();
        for (int l : layers) {
            for (Pooling p : poolings) vectors.put(new Capture(l, p), new float[m * d]);
        }
        int[] prompt = tokenizer.promptIds(list.request(null));
        // instruction vector, and the shared prefix for candidates that answered the list's own prompt
        Map<String, List<Integer>> byPrefix = new LinkedHashMap<>();
        for (int c = 0; c < m; c++) {
            String attack = list.candidates().get(c).attackPrompt();
            byPrefix.computeIfAbsent(mode == EncodeMode.STANDALONE || attack == null ? "" : attack, k -> new ArrayList<>()).add(c);
        }
        try (KvSequence promptSeq = forward.cache().open()) {
            SequenceOutput promptOut = forward.append(List.of(fit(prompt)), List.of(promptSeq), CaptureRequest.of(layers, Pooling.LAST)).getFirst();
            for (int l : layers) instruction.put(l, promptOut.hidden(l, Pooling.LAST));
            for (var group : byPrefix.entrySet()) {
                if (mode == EncodeMode.STANDALONE) {
                    encodeStandalone(list, group.getValue(), vectors, d);
                } else if (group.getKey().isEmpty()) {
                    encodeAfter(promptSeq, prompt.length, promptOut, list, group.getValue(), vectors, d);
                } else {
                    int[] attackIds = fit(tokenizer.promptIds(list.request(group.getKey())));
                    try (KvSequence seq = forward.cache().open()) {
                        SequenceOutput out = forward.append(List.of(attackIds), List.of(seq), CaptureRequest.of(layers, Pooling.LAST)).getFirst();
                        encodeAfter(seq, attackIds.length, out, list, group.getValue(), vectors, d);
                    }
                }
            }
        }
        return new ListFeatures(list.id(), m, instruction, vectors);
    }

    /** Encodes candidates as continuations of the prefix held in cache sequence {@code prefix}. */
    private void encodeAfter(KvSequence prefix, int prefixLen, SequenceOutput prefixOut, SafetyList list, List<Integer> which,
                             Map<Capture, float[]> vectors, int d) {
        List<int[]> responses = new ArrayList<>();
        List<Integer> nonEmpty = new ArrayList<>();
        int room = forward.config().maxPositions() - prefixLen;
        for (int c : which) {
            int[] ids = tokenizer.encode(list.candidates().get(c).text(), false);
            if (ids.length > room) {
                ids = java.util.Arrays.copyOf(ids, room);
                truncated++;
            }
            if (ids.length == 0) {
                // an empty answer: its state is where the prompt left off
                for (Capture k : vectors.keySet()) System.arraycopy(prefixOut.hidden(k.layer(), Pooling.LAST), 0, vectors.get(k), c * d, d);
                continue;
            }
            responses.add(ids);
            nonEmpty.add(c);
        }
        // batches of candidates up to BATCH_TOKENS rows bound the activations kept for mean pooling
        int from = 0;
        while (from < responses.size()) {
            int to = from;
            int rows = 0;
            while (to < responses.size() && (to == from || rows + responses.get(to).length <= BATCH_TOKENS)) rows += responses.get(to++).length;
            try (KvSequences forks = prefix.forks(prefixLen, to - from)) {
                List<SequenceOutput> outs = forward.append(responses.subList(from, to), forks,
                        new CaptureRequest(layers, poolings, false, CaptureRequest.Logits.NONE));
                store(outs, nonEmpty.subList(from, to), vectors, d);
            }
            from = to;
        }
    }

    private void encodeStandalone(SafetyList list, List<Integer> which, Map<Capture, float[]> vectors, int d) {
        store(standalone(which.stream().map(c -> list.candidates().get(c).text()).toList()), which, vectors, d);
    }

    /**
     * Texts encoded on their own, without a prompt, as {@link EncodeMode#STANDALONE} encodes candidates: one batched
     * forward; an empty text reads the BOS token.
     */
    public List<SequenceOutput> standalone(List<String> texts) {
        List<int[]> ids = new ArrayList<>(texts.size());
        for (String text : texts) {
            int[] t = tokenizer.encode(text, true);
            ids.add(fit(t.length == 0 ? new int[]{Math.max(0, tokenizer.bosId())} : t));
        }
        return forward.run(ids, new CaptureRequest(layers, poolings, false, CaptureRequest.Logits.NONE));
    }

    private void store(List<SequenceOutput> outs, List<Integer> which, Map<Capture, float[]> vectors, int d) {
        for (int i = 0; i < which.size(); i++) {
            for (var v : vectors.entrySet()) System.arraycopy(outs.get(i).hidden().get(v.getKey()), 0, v.getValue(), which.get(i) * d, d);
        }
    }

    private int[] fit(int[] ids) {
        int max = forward.config().maxPositions();
        if (ids.length <= max) return ids;
        truncated++;
        // keep the end of an over-long prompt: the generation prompt sits there
        return java.util.Arrays.copyOfRange(ids, ids.length - max, ids.length);
    }

}
