package dev.srr.cli;

import dev.srr.SrrException;
import dev.srr.engine.GeneratedCandidate;
import dev.srr.engine.FeatureCapture;
import dev.srr.engine.FinishReason;
import dev.srr.engine.GenerationOptions;
import dev.srr.engine.GenerationResult;
import dev.srr.engine.GenerationStats;
import dev.srr.engine.Generator;
import dev.srr.engine.LoadedModel;
import dev.srr.engine.TokenListener;
import dev.srr.io.Json;
import dev.srr.tokenizer.ModelTokenizer;
import dev.srr.tokenizer.StreamingDecoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Sample K candidate continuations of one prompt: one prefill, then all candidates decode together.",
                "Candidates with identical ids are merged into the first. With --seed a run is reproducible: candidate i "
                        + "is the same whatever --n or the thread count."})
public final class GenerateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "MODEL", description = "Model: a Hugging Face checkpoint folder or a .gguf file.")
    Path model;

    @Mixin
    PromptArgs prompt;

    @Mixin
    SamplingArgs sampling;

    @Option(names = "--feature-layer", description = "Capture SRR features at this hidden_states index (e.g. the quarter layer) and print them with --json/--jsonl.")
    Integer featureLayer;

    @Mixin
    JsonOption json;

    @Option(names = "--jsonl", description = "One JSON object per distinct candidate.")
    boolean jsonl;

    @Option(names = "--stream", description = "Print tokens as they are produced (plain output only).")
    boolean stream;

    @Mixin
    QuietOption quiet;

    @Mixin
    BackendOption backend;

    @Override
    public Integer call() {
        if (json.on && jsonl) throw new SrrException("--json and --jsonl exclude each other");
        if (stream && (json.on || jsonl)) throw new SrrException("--stream prints plain text; drop --json/--jsonl to use it");
        if (featureLayer != null && !(json.on || jsonl)) throw new SrrException("--feature-layer prints features in JSON: add --json or --jsonl");
        if (prompt.raw && prompt.input.prompt == null) throw new SrrException("--raw applies to --prompt only");
        long runSeed = sampling.runSeed();
        GenerationOptions options = sampling.options(runSeed);
        int n = sampling.n;
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (LoadedModel m = LoadedModel.open(model, backend.name)) {
            ModelTokenizer tokenizer = PromptArgs.tokenizerOf(model);
            int[] promptIds = prompt.ids(model, tokenizer);
            FeatureCapture features = featureLayer == null ? FeatureCapture.none() : FeatureCapture.at(featureLayer);
            GenerationProgress progress = quiet.on ? null : new GenerationProgress(new Progress(err, false, "generate"), n, sampling.maxNewTokens);
            TokenListener listener = listeners(progress, stream ? new TokenPrinter(out, n, tokenizer) : null);
            GenerationResult result = Generator.of(m.forward(), tokenizer).generate(promptIds, options, features, listener);
            if (progress != null) progress.progress.done();
            if (result.truncatedPromptTokens() > 0 && !quiet.on) {
                err.printf("generate: dropped the oldest %d prompt tokens to fit the context of %d%n",
                        result.truncatedPromptTokens(), m.config().maxPositions());
            }
            if (json.on) out.println(Json.write(document(result, runSeed)));
            else if (jsonl) for (GeneratedCandidate c : result.candidates()) out.println(Json.write(candidate(c, result)));
            else if (!stream) for (GeneratedCandidate c : result.candidates()) out.println(c.text() != null ? c.text() : joined(c.ids()));
            if (!quiet.on && !json.on) err.println(summary(result));
        }
        return 0;
    }

    /** Reports tokens out of the most the run can still produce, and candidates done, on the progress line. */
    private static final class GenerationProgress implements TokenListener {
        final Progress progress;
        private final int candidates;
        private final int maxNewTokens;
        private final int[] counts;
        private long tokens;
        private long most;
        private int done;

        GenerationProgress(Progress progress, int candidates, int maxNewTokens) {
            this.progress = progress;
            this.candidates = candidates;
            this.maxNewTokens = maxNewTokens;
            this.counts = new int[candidates];
            this.most = (long) candidates * maxNewTokens;
        }

        @Override
        public void onToken(int candidate, int token, int count) {
            tokens++;
            counts[candidate] = count;
            show();
        }

        @Override
        public void onFinish(int candidate, FinishReason reason) {
            done++;
            most -= maxNewTokens - counts[candidate];
            show();
        }

        private void show() {
            progress.update(tokens, most, "tokens", ", " + done + "/" + candidates + " candidates done");
        }
    }

    private static TokenListener listeners(GenerationProgress progress, TokenPrinter printer) {
        List<TokenListener> all = new ArrayList<>();
        if (progress != null) all.add(progress);
        if (printer != null) all.add(printer);
        return new TokenListener() {
            @Override
            public void onToken(int candidate, int token, int count) {
                for (TokenListener l : all) l.onToken(candidate, token, count);
            }

            @Override
            public void onFinish(int candidate, FinishReason reason) {
                for (TokenListener l : all) l.onFinish(candidate, reason);
            }
        };
    }

    /**
     * Streams what each new token adds: text with a tokenizer (held back until characters are complete), ids
     * otherwise. A single candidate streams as one line (ids comma-separated); several as "candidate<TAB>piece"
     * lines, the piece as a JSON string when it is text.
     */
    private static final class TokenPrinter implements TokenListener {
        private final PrintWriter out;
        private final int candidates;
        private final StreamingDecoder[] text;

        TokenPrinter(PrintWriter out, int candidates, ModelTokenizer tokenizer) {
            this.out = out;
            this.candidates = candidates;
            this.text = tokenizer == null ? null : new StreamingDecoder[candidates];
            if (text != null) for (int i = 0; i < candidates; i++) text[i] = tokenizer.streamingDecoder(true);
        }

        @Override
        public void onToken(int candidate, int token, int count) {
            String piece = text == null ? (candidates == 1 && count > 1 ? "," : "") + token : text[candidate].push(token);
            emit(candidate, piece);
        }

        @Override
        public void onFinish(int candidate, FinishReason reason) {
            if (text != null) emit(candidate, text[candidate].flush());
            if (candidates == 1) out.println();
            out.flush();
        }

        private void emit(int candidate, String piece) {
            if (piece.isEmpty()) return;
            if (candidates == 1) out.print(piece);
            else out.println(candidate + "\t" + (text == null ? piece : Json.write(piece)));
            out.flush();
        }
    }

    private Map<String, Object> document(GenerationResult r, long runSeed) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("ids", r.candidates().getFirst().ids()); // issue-2 contract: the (first) continuation's ids
        doc.put("candidates", r.candidates().stream().map(c -> candidate(c, r)).toList());
        doc.put("requested", sampling.n);
        doc.put("merged", r.merged());
        doc.put("seed", runSeed);
        doc.put("prompt_tokens", r.prompt().length);
        doc.put("truncated_prompt_tokens", r.truncatedPromptTokens());
        if (r.promptState() != null) {
            doc.put("feature_layer", r.featureLayer());
            doc.put("prompt_state", r.promptState());
        }
        doc.put("stats", stats(r.stats()));
        return doc;
    }

    private static Map<String, Object> candidate(GeneratedCandidate c, GenerationResult r) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("index", c.index());
        if (c.text() != null) o.put("text", c.text());
        o.put("ids", c.ids());
        o.put("finish_reason", c.finishReason().label());
        o.put("prompt_tokens", r.prompt().length);
        o.put("completion_tokens", c.ids().length);
        o.put("merged_duplicates", c.mergedIndices().length);
        o.put("merged_indices", c.mergedIndices());
        if (c.lastState() != null) {
            o.put("feature_layer", r.featureLayer());
            o.put("last_state", c.lastState());
            o.put("mean_state", c.meanState());
        }
        return o;
    }

    private static Map<String, Object> stats(GenerationStats s) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("candidates", s.candidates());
        o.put("generated_tokens", s.generatedTokens());
        o.put("decode_steps", s.decodeSteps());
        o.put("prefill_seconds", s.prefillNanos() / 1e9);
        o.put("decode_seconds", s.decodeNanos() / 1e9);
        o.put("prefill_tokens_per_second", s.prefillTokensPerSecond());
        o.put("decode_tokens_per_second", s.decodeTokensPerSecond());
        o.put("per_candidate_tokens_per_second", s.perCandidateTokensPerSecond());
        o.put("decode_cpu_seconds", s.decodeCpuNanos() / 1e9);
        o.put("decode_tokens_per_cpu_second", s.decodeTokensPerCpuSecond());
        return o;
    }

    private static String summary(GenerationResult r) {
        GenerationStats s = r.stats();
        return String.format(Locale.ROOT, "generate: %d candidates (%d merged), %d tokens; prefill %d tokens at %.1f tokens/s, "
                        + "decode %.2f tokens/s (%.2f per candidate)", s.candidates(), r.merged(), s.generatedTokens(),
                s.promptTokens(), s.prefillTokensPerSecond(), s.decodeTokensPerSecond(), s.perCandidateTokensPerSecond());
    }

    private static String joined(int[] ids) {
        return String.join(",", Arrays.stream(ids).mapToObj(Integer::toString).toList());
    }
}
