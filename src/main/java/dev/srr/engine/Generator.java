package dev.srr.engine;

import dev.srr.model.ModelConfig;
import dev.srr.tokenizer.ModelTokenizer;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Generates K candidates for one prompt: one prefill, then the K continuations fork the prompt's KV-cache
 * sequence and decode together, one row per unfinished candidate per step, so each step reads the weights once
 * for all of them. The state of one prompt's generation is a {@link GenerationRun}; {@link DecodeBatch} steps any
 * number of runs together ({@link #generate} steps one to its end, a server keeps many). Every candidate samples with its own random stream derived from (seed, candidate index),
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

    /**
     * Generates K candidates of {@code prompt} to the end: the prompt in one step, then one step per token.
     *
     * @throws dev.srr.SrrException for an empty prompt, one that leaves no room for max_new_tokens (unless truncation
     *                              is asked), a feature layer outside the model, or stop strings without a decoder
     */
    public GenerationResult generate(int[] prompt, GenerationOptions options, FeatureCapture features, TokenListener listener) {
        try (GenerationRun run = start(prompt, options, features, listener)) {
            DecodeBatch batch = new DecodeBatch(forward);
            List<GenerationRun> runs = List.of(run);
            batch.step(runs, Integer.MAX_VALUE);
            long cpuBefore = ProcessCpu.nanos();
            while (!run.finished()) batch.step(runs, Integer.MAX_VALUE);
            return run.result(cpuBefore < 0 ? -1 : ProcessCpu.nanos() - cpuBefore);
        }
    }

    /**
     * A run of {@code prompt} that has not stepped yet, for a {@link DecodeBatch} to drive along with others. The
     * caller closes it.
     *
     * @throws dev.srr.SrrException as {@link #generate} does
     */
    public GenerationRun start(int[] prompt, GenerationOptions options, FeatureCapture features, TokenListener listener) {
        ModelConfig config = forward.config();
        features.check(config);
        StopStrings stops = new StopStrings(options.stopStrings(), decoder);
        int[] run = options.truncation().fit(prompt, options.maxNewTokens(), config);
        int[] eos = options.ignoreEos() ? new int[0]
                : IntStream.concat(Arrays.stream(options.eosIds(config)), Arrays.stream(tokenizerEosIds)).distinct().toArray();
        return new GenerationRun(forward, run, prompt.length - run.length, options, features, stops,
                listener == null ? TokenListener.NONE : listener, eos);
    }
}
