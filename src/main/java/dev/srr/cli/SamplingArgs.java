package dev.srr.cli;

import dev.srr.SrrException;
import dev.srr.engine.GenerationOptions;
import dev.srr.engine.PromptTruncation;
import dev.srr.engine.SamplingOptions;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/** Sampling and stopping options shared by {@code generate}, {@code respond} and {@code demo}. */
public final class SamplingArgs {
    @Option(names = "--n", defaultValue = "1", description = "Candidates to sample (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--max-new-tokens", defaultValue = "64", description = "Tokens per candidate at most (default: ${DEFAULT-VALUE}).")
    int maxNewTokens;

    @Option(names = "--greedy", description = "Always take the most likely token (sampling options other than the repetition penalty are ignored).")
    boolean greedy;

    @Option(names = "--temperature", defaultValue = "1.0", description = "Sampling temperature, > 0 (default: ${DEFAULT-VALUE}).")
    float temperature;

    @Option(names = "--top-k", defaultValue = "0", description = "Keep the K most likely tokens; 0 = off (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--top-p", defaultValue = "1.0", description = "Nucleus: the fewest most likely tokens with mass >= P (default: ${DEFAULT-VALUE}).")
    float topP;

    @Option(names = "--min-p", defaultValue = "0.0", description = "Drop tokens less likely than P x the top token (default: ${DEFAULT-VALUE}).")
    float minP;

    @Option(names = "--repetition-penalty", defaultValue = "1.0", description = "Penalise tokens of the prompt and the candidate so far, as transformers does (default: ${DEFAULT-VALUE}).")
    float repetitionPenalty;

    @Option(names = "--seed", description = "Seed of the candidates' random streams (default: a random seed, printed with --json).")
    Long seed;

    @Option(names = "--stop", paramLabel = "STR", description = "Stop a candidate when its text contains STR (repeatable; needs the model's tokenizer.json).")
    List<String> stops = new ArrayList<>();

    @Option(names = "--ignore-eos", description = "Do not stop on the model's end-of-sequence ids (benchmarks).")
    boolean ignoreEos;

    @Option(names = "--truncate", defaultValue = "error", description = "A prompt too long for the context with max-new-tokens: error, or left "
            + "(drop the oldest prompt tokens, keeping a leading BOS) (default: ${DEFAULT-VALUE}).")
    String truncate;

    /** The seed given, or a fresh random one (reported by the commands so a run can be repeated). */
    long runSeed() {
        return seed != null ? seed : ThreadLocalRandom.current().nextLong();
    }

    GenerationOptions options(long runSeed) {
        SamplingOptions s = new SamplingOptions(greedy, temperature, topK, topP, minP, repetitionPenalty);
        return new GenerationOptions(n, maxNewTokens, s, runSeed, stops, ignoreEos, new int[0], truncation());
    }

    private PromptTruncation truncation() {
        return switch (truncate.toLowerCase(Locale.ROOT)) {
            case "error" -> PromptTruncation.ERROR;
            case "left" -> PromptTruncation.LEFT;
            default -> throw new SrrException("--truncate: expected error or left, got '" + truncate + "'");
        };
    }
}
