package dev.srr.engine;

import dev.srr.compute.KvSequence;
import dev.srr.compute.KvSequences;
import dev.srr.Parallel;
import dev.srr.compute.Step;
import dev.srr.compute.StepOutput;
import dev.srr.compute.StepRequest;
import dev.srr.model.ModelConfig;
import dev.srr.tokenizer.ModelTokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Generates K candidates for one prompt: one prefill, then the K continuations fork the prompt's KV-cache
 * sequence and decode together, one row per unfinished candidate per step, so each step reads the weights once
 * for all of them. Every candidate samples with its own random stream derived from (seed, candidate index),
 * so its tokens do not depend on K, on the other candidates, or on threads.
 *
 * <p>Features: with a {@link FeatureCapture}, each step also keeps its rows' state at the feature layer. A
 * candidate's response is its ids without a final eos id (the text a ranker re-encodes never holds it; ids
 * completing a stop string stay). lastState is the state at the response's final id and meanState the mean
 * over the response, as a fresh forward over prompt + response gives them; an empty response (eos first)
 * takes the prompt's last-token state for both, as the ranker's feature extractor does. A response ending
 * at max_new_tokens or a stop string needs one more row for its final id, which is otherwise never fed; it
 * only captures the state (no logits). promptState is the prompt's last-token state.
 */
public final class Generator {
    private final ForwardDriver forward;
    private final TokenTextDecoder decoder;
    private final int[] tokenizerEosIds;

    /** {@code decoder} may be null (ids-only: no text, no stop strings); candidates end at the config's eos ids. */
    public Generator(ForwardDriver forward, TokenTextDecoder decoder) {
        this(forward, decoder, new int[0]);
    }

    private Generator(ForwardDriver forward, TokenTextDecoder decoder, int[] tokenizerEosIds) {
        this.forward = forward;
        this.decoder = decoder;
        this.tokenizerEosIds = tokenizerEosIds;
    }

    /**
     * A generator for a model with its tokenizer, or none (null: ids only): text decoded without special tokens, and
     * candidates ending at the config's eos ids and the tokenizer's ({@link ModelTokenizer#eosIds}), merged here once.
     */
    public static Generator of(ForwardDriver forward, ModelTokenizer tokenizer) {
        return tokenizer == null ? new Generator(forward, null) : new Generator(forward, ids -> tokenizer.decode(ids, true), tokenizer.eosIds());
    }

    public GenerationResult generate(int[] prompt, GenerationOptions options, FeatureCapture features, TokenListener listener) {
        ModelConfig config = forward.config();
        features.check(config);
        StopStrings stops = new StopStrings(options.stopStrings(), decoder);
        int[] run = options.truncation().fit(prompt, options.maxNewTokens(), config);
        Run state = new Run(options, features, stops, listener, run.length);
        try (KvSequence parent = forward.cache().open(); KvSequences forks = new KvSequences()) {
            long start = System.nanoTime();
            int[] layers = features.enabled() ? new int[]{features.layer()} : new int[0];
            CaptureRequest request = new CaptureRequest(layers, new Pooling[]{Pooling.LAST}, false, CaptureRequest.Logits.LAST);
            SequenceOutput prefill = forward.append(List.of(run), List.of(parent), request).getFirst();
            float[] promptState = features.enabled() ? prefill.hidden(features.layer(), Pooling.LAST) : null;
            BitSet promptTokens = new BitSet(config.vocabSize());
            for (int t : run) promptTokens.set(t);
            for (int i = 0; i < options.candidates(); i++) {
                KvSequence fork = parent.fork(run.length);
                forks.add(fork);
                CandidateTrack track = new CandidateTrack(i, fork.id(), new Sampler(options.sampling()),
                        Sampler.randomFor(options.seed(), i), (BitSet) promptTokens.clone(), options.maxNewTokens(),
                        features.enabled() ? config.hiddenSize() : 0);
                state.tracks.add(track);
                state.accept(track, track.sampler.sample(prefill.logits().clone(), track.seen, track.random));
            }
            long prefilled = System.nanoTime();
            long cpuBefore = ProcessCpu.nanos();
            int steps = 0;
            while (decodeStep(state)) steps++;
            long done = System.nanoTime();
            long decodeCpu = cpuBefore < 0 ? -1 : ProcessCpu.nanos() - cpuBefore;
            int generated = 0;
            for (CandidateTrack t : state.tracks) generated += t.count();
            GenerationStats stats = new GenerationStats(options.candidates(), run.length, prefilled - start, done - prefilled,
                    decodeCpu, steps, generated, generated - options.candidates());
            return distinct(state, run, prompt.length - run.length, promptState, features, stats);
        }
    }

    /**
     * Feeds every pending id in one step: unfinished candidates get logits and sample their next id; finished
     * ones (only when features are wanted) just capture their final state. Returns false when nothing was left.
     */
    private boolean decodeStep(Run state) {
        List<CandidateTrack> feed = new ArrayList<>();
        for (CandidateTrack t : state.tracks) {
            if (t.pending() && (t.live() || state.features.enabled() && t.finish() != FinishReason.EOS)) feed.add(t);
        }
        if (feed.isEmpty()) return false;
        int n = feed.size();
        int[] tokens = new int[n];
        int[] sequences = new int[n];
        int[] positions = new int[n];
        int[] logitRows = new int[n];
        int live = 0;
        for (int r = 0; r < n; r++) {
            CandidateTrack t = feed.get(r);
            tokens[r] = t.lastToken();
            sequences[r] = t.sequence;
            positions[r] = state.promptLength + t.count() - 1;
            if (t.live()) logitRows[live++] = r;
        }
        logitRows = Arrays.copyOf(logitRows, live);
        int[] layers = state.features.enabled() ? new int[]{state.features.layer()} : new int[0];
        int[] captureRows = state.features.enabled() ? allRows(n) : new int[0];
        StepOutput out = forward.step(StepRequest.logits(new Step(tokens, sequences, positions), logitRows).capturing(layers, captureRows));
        float[] captured = state.features.enabled() ? out.hidden().get(state.features.layer()) : null;
        for (int r = 0; r < n; r++) {
            CandidateTrack t = feed.get(r);
            t.fed();
            if (captured != null) t.addState(captured, r);
        }
        int vocab = forward.config().vocabSize();
        int[] rowsWithLogits = logitRows;
        int[] next = new int[live];
        // each candidate samples from its own stream with its own scratch, so the order across threads is free
        Parallel.forRange(live, 1, (from, to) -> {
            for (int j = from; j < to; j++) {
                CandidateTrack t = feed.get(rowsWithLogits[j]);
                next[j] = t.sampler.sample(Arrays.copyOfRange(out.logits(), j * vocab, (j + 1) * vocab), t.seen, t.random);
            }
        });
        for (int j = 0; j < live; j++) state.accept(feed.get(logitRows[j]), next[j]);
        return true;
    }

    private static int[] allRows(int n) {
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) rows[i] = i;
        return rows;
    }

    /** Folds candidates with identical ids into the first of them, keeping request order. */
    private static GenerationResult distinct(Run state, int[] run, int truncated, float[] promptState, FeatureCapture features,
                                             GenerationStats stats) {
        Map<List<Integer>, List<CandidateTrack>> groups = new LinkedHashMap<>();
        for (CandidateTrack t : state.tracks) {
            groups.computeIfAbsent(Arrays.stream(t.ids()).boxed().toList(), k -> new ArrayList<>()).add(t);
        }
        List<GeneratedCandidate> candidates = new ArrayList<>(groups.size());
        for (List<CandidateTrack> group : groups.values()) {
            CandidateTrack first = group.getFirst();
            int[] merged = group.stream().skip(1).mapToInt(t -> t.index).toArray();
            int[] ids = first.ids();
            boolean empty = features.enabled() && first.lastState() == null;
            candidates.add(new GeneratedCandidate(first.index, ids, first.finish(), state.stops.text(ids, first.finish()),
                    empty ? promptState : first.lastState(), empty ? promptState : first.meanState(), merged));
        }
        return new GenerationResult(List.copyOf(candidates), run, truncated, promptState,
                features.enabled() ? features.layer() : -1, state.tracks.size() - candidates.size(), stats);
    }

    /** What one generate call shares between its steps. */
    private final class Run {
        final GenerationOptions options;
        final FeatureCapture features;
        final StopStrings stops;
        final TokenListener listener;
        final int promptLength;
        final int[] eos;
        final List<CandidateTrack> tracks = new ArrayList<>();

        Run(GenerationOptions options, FeatureCapture features, StopStrings stops, TokenListener listener, int promptLength) {
            this.options = options;
            this.features = features;
            this.stops = stops;
            this.listener = listener;
            this.promptLength = promptLength;
            this.eos = options.ignoreEos() ? new int[0]
                    : IntStream.concat(Arrays.stream(options.eosIds(forward.config())), Arrays.stream(tokenizerEosIds)).distinct().toArray();
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
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) if (x == v) return true;
        return false;
    }
}
