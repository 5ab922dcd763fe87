package dev.srr.engine;

import dev.srr.compute.KvSequence;
import dev.srr.compute.KvSequences;
import dev.srr.model.ModelConfig;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One prompt's generation in progress, stepped by a {@link DecodeBatch} together with any other runs: first its
 * prompt is prefilled (in chunks, if the batch asks), then its K candidates fork the prompt's KV-cache sequence and
 * decode one token per step until every one has finished. {@link Generator#generate} drives a single run to the end;
 * a server keeps many in one batch. Close it to release its KV-cache sequences (also when cancelled half way).
 *
 * <p>Not thread-safe: only the thread stepping the batch touches a run.
 */
public final class GenerationRun implements AutoCloseable {
    final ForwardDriver forward;
    final GenerationOptions options;
    final FeatureCapture features;
    final StopStrings stops;
    final TokenListener listener;
    final int[] prompt;
    final int truncated;
    final int[] eos;
    final List<CandidateTrack> tracks = new ArrayList<>();
    private final KvSequence parent;
    private final KvSequences forks = new KvSequences();
    private int prefilled;
    private float[] promptState;
    private int steps;
    private long startNanos;
    private long prefillDoneNanos;

    GenerationRun(ForwardDriver forward, int[] run, int truncated, GenerationOptions options, FeatureCapture features,
                  StopStrings stops, TokenListener listener, int[] eos) {
        this.forward = forward;
        this.options = options;
        this.features = features;
        this.stops = stops;
        this.listener = listener;
        this.prompt = run;
        this.truncated = truncated;
        this.eos = eos;
        this.parent = forward.cache().open();
    }

    /** The prompt as it runs (after any truncation). */
    public int[] prompt() {
        return prompt.clone();
    }

    public GenerationOptions options() {
        return options;
    }

    /** Prompt tokens not yet fed. */
    public int prefillRemaining() {
        return prompt.length - prefilled;
    }

    /** Whether the prompt has been fed and the candidates sample. */
    public boolean decoding() {
        return prefilled == prompt.length;
    }

    /** Whether nothing is left to feed: every candidate finished and captured its final state. */
    public boolean finished() {
        return decoding() && tracks.stream().noneMatch(this::wantsRow);
    }

    /** Candidates still sampling (0 before the prefill finishes and after the end). */
    public int liveCandidates() {
        int n = 0;
        for (CandidateTrack t : tracks) if (t.live()) n++;
        return n;
    }

    /** Tokens generated so far over all K candidates. */
    public int generatedTokens() {
        int n = 0;
        for (CandidateTrack t : tracks) n += t.count();
        return n;
    }

    /** Whether candidate {@code t} has an id to feed: to sample its next one, or (with features) to capture its state. */
    boolean wantsRow(CandidateTrack t) {
        return t.pending() && (t.live() || features.enabled() && t.finish() != FinishReason.EOS);
    }

    /** Records that the prompt's tokens [prefilled, prefilled + n) were fed. */
    void prefilledChunk(int n, long now) {
        if (prefilled == 0) startNanos = now;
        prefilled += n;
    }

    int prefilledSoFar() {
        return prefilled;
    }

    KvSequence parentSequence() {
        return parent;
    }

    /** The prompt's last row has run: keep its state, fork the K candidates and sample each one's first id. */
    void startCandidates(float[] logits, float[] state, long now) {
        ModelConfig config = forward.config();
        promptState = state;
        prefillDoneNanos = now;
        BitSet promptTokens = new BitSet(config.vocabSize());
        for (int t : prompt) promptTokens.set(t);
        for (int i = 0; i < options.candidates(); i++) {
            KvSequence fork = parent.fork(prompt.length);
            forks.add(fork);
            CandidateTrack track = new CandidateTrack(i, fork.id(), new Sampler(options.sampling()),
                    Sampler.randomFor(options.seed(), i), (BitSet) promptTokens.clone(), options.maxNewTokens(),
                    features.enabled() ? config.hiddenSize() : 0);
            tracks.add(track);
            accept(track, track.sampler.sample(logits.clone(), track.seen, track.random));
        }
    }

    void stepped() {
        steps++;
    }

    /** Appends a sampled id to a candidate and decides whether that finished it. */
    void accept(CandidateTrack t, int token) {
        t.add(token);
        listener.onToken(t.index, token, t.count());
        FinishReason reason = null;
        if (contains(eos, token)) reason = FinishReason.EOS;
        else if (!stops.isEmpty() && stops.stopsAt(t.ids())) reason = FinishReason.STOP;
        else if (t.count() == options.maxNewTokens()) reason = FinishReason.LENGTH;
        if (reason != null) {
            t.finish(reason);
            listener.onFinish(t.index, reason);
        }
    }

    /**
     * The distinct candidates in request order, duplicates (identical ids) folded into the first of them.
     *
     * @param cpuNanos process CPU time the decode took, for the stats, or -1 when unknown (a shared batch cannot say)
     * @throws IllegalStateException before the run has {@link #finished}
     */
    public GenerationResult result(long cpuNanos) {
        if (!finished()) throw new IllegalStateException("the generation has not finished");
        long done = System.nanoTime();
        int generated = generatedTokens();
        GenerationStats stats = new GenerationStats(options.candidates(), prompt.length, prefillDoneNanos - startNanos,
                done - prefillDoneNanos, cpuNanos, steps, generated, generated - options.candidates());
        Map<List<Integer>, List<CandidateTrack>> groups = new LinkedHashMap<>();
        for (CandidateTrack t : tracks) groups.computeIfAbsent(Arrays.stream(t.ids()).boxed().toList(), k -> new ArrayList<>()).add(t);
        List<GeneratedCandidate> candidates = new ArrayList<>(groups.size());
        for (List<CandidateTrack> group : groups.values()) {
            CandidateTrack first = group.getFirst();
            int[] merged = group.stream().skip(1).mapToInt(t -> t.index).toArray();
            int[] ids = first.ids();
            boolean empty = features.enabled() && first.lastState() == null;
            candidates.add(new GeneratedCandidate(first.index, ids, first.finish(), stops.text(ids, first.finish()),
                    empty ? promptState : first.lastState(), empty ? promptState : first.meanState(), merged));
        }
        return new GenerationResult(List.copyOf(candidates), prompt, truncated, promptState,
                features.enabled() ? features.layer() : -1, tracks.size() - candidates.size(), stats);
    }

    /** Releases the KV-cache sequences; the run cannot step afterwards. */
    @Override
    public void close() {
        forks.close();
        parent.close();
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) if (x == v) return true;
        return false;
    }
}
