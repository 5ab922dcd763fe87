package dev.srr.cli;

import dev.srr.SrrException;
import dev.srr.engine.GeneratedCandidate;
import dev.srr.engine.GenerationOptions;
import dev.srr.engine.LoadedModel;
import dev.srr.io.Json;
import dev.srr.rank.RankerCheckpoint;
import dev.srr.rank.RankingMetrics;
import dev.srr.respond.Responder;
import dev.srr.tokenizer.ModelTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "respond", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Answer a prompt the SRR way: sample K candidates, score them with the ranker on the model's own "
                + "hidden states (captured during generation, no second pass), print the best.",
                "stdout gets the chosen response; the ranked candidates go to stderr (or all of it to stdout with --json)."})
public final class RespondCommand implements Callable<Integer> {
    static final int DEFAULT_CANDIDATES = 8;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "MODEL", description = "Model with its tokenizer: a Hugging Face checkpoint folder or a .gguf file.")
    Path model;

    @Option(names = "--ranker", required = true, description = "Ranker folder from srr train.")
    Path ranker;

    @Mixin
    PromptArgs prompt;

    @Mixin
    SamplingArgs sampling;

    @Mixin
    JsonOption json;

    @Mixin
    QuietOption quiet;

    @Mixin
    BackendOption backend;

    @Override
    public Integer call() {
        if (prompt.input.ids != null) throw new SrrException("respond needs text: use --prompt or --messages");
        int k = spec.commandLine().getParseResult().hasMatchedOption("--n") ? sampling.n : DEFAULT_CANDIDATES;
        long seed = sampling.runSeed();
        GenerationOptions options = sampling.options(seed).withCandidates(k);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ModelTokenizer tokenizer = PromptArgs.tokenizerOf(model);
        if (tokenizer == null) throw new SrrException(model + ": no tokenizer.json, which respond needs");
        try (LoadedModel m = LoadedModel.open(model, backend.name)) {
            Responder.Response r;
            try (Responder responder = new Responder(m, tokenizer, RankerCheckpoint.load(ranker), ranker, backend.name)) {
                r = responder.respond(prompt.ids(model, tokenizer), options, null);
            }
            if (json.on) {
                out.println(Json.write(document(r, seed)));
            } else {
                out.println(r.best().text());
                if (!quiet.on) err.print(table(r));
            }
        }
        return 0;
    }

    /**
     * The {@code --json} document of one response (also what the Spark respond job writes per prompt): the chosen index
     * and text, every candidate with its score, text, finish reason and token count, the seed, the feature layer and
     * the decode speed (tokens per second, which alone varies between runs).
     */
    public static Map<String, Object> document(Responder.Response r, long seed) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("chosen", r.chosen());
        doc.put("response", r.best().text());
        List<Map<String, Object>> cands = new java.util.ArrayList<>();
        List<GeneratedCandidate> cs = r.generation().candidates();
        for (int i = 0; i < cs.size(); i++) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("index", cs.get(i).index());
            c.put("score", r.scores()[i]);
            c.put("text", cs.get(i).text());
            c.put("finish_reason", cs.get(i).finishReason().name().toLowerCase());
            c.put("tokens", cs.get(i).ids().length);
            cands.add(c);
        }
        doc.put("candidates", cands);
        doc.put("merged", r.generation().merged());
        doc.put("seed", seed);
        doc.put("feature_layer", r.generation().featureLayer());
        doc.put("decode_tokens_per_s", r.generation().stats().decodeTokensPerSecond());
        doc.put("generation_seconds", r.generationNanos() / 1e9);
        doc.put("ranking_seconds", r.rankingNanos() / 1e9);
        return doc;
    }

    /** Candidates best first: rank, score, a one-line preview. */
    static String table(Responder.Response r) {
        StringBuilder sb = new StringBuilder();
        int[] order = RankingMetrics.order(r.scores());
        sb.append(String.format("%4s %8s  %s%n", "rank", "score", "candidate"));
        for (int i = 0; i < order.length; i++) {
            GeneratedCandidate c = r.generation().candidates().get(order[i]);
            sb.append(String.format("%4d %8.3f  %s%s%n", i + 1, r.scores()[order[i]], preview(c.text(), 90),
                    order[i] == r.chosen() ? "   <- chosen" : ""));
        }
        return sb.toString();
    }

    static String preview(String text, int width) {
        if (text == null) return "";
        String flat = text.replaceAll("\\s+", " ").strip();
        return Json.write(flat.length() > width ? flat.substring(0, width - 3) + "..." : flat);
    }
}
