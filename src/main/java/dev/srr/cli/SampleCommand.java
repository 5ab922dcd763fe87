package dev.srr.cli;

import dev.srr.SrrException;
import dev.srr.data.KeywordRule;
import dev.srr.data.ListDataset;
import dev.srr.data.SafetyList;
import dev.srr.engine.GenerationOptions;
import dev.srr.engine.LoadedModel;
import dev.srr.engine.PromptTruncation;
import dev.srr.engine.SamplingOptions;
import dev.srr.io.Json;
import dev.srr.data.HarmRule;
import dev.srr.respond.ListSampler;
import dev.srr.tokenizer.ModelTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The paper's data protocol: the model answers prompts itself. Samples K candidates per prompt, merges "
                + "identical answers, labels each with the keyword rule (refusal = safe, leading affirmation = unsafe, "
                + "neither = unlabelled) and writes lists JSONL (label: refusal|compliance|neither, harm: safe|unsafe|null).",
                "Prompts: one per distinct normalised prompt of --data, in a seeded random order, the first --limit. "
                        + "Chunks of prompts are written atomically to OUT.parts/ as they finish; rerunning the same command "
                        + "resumes. Candidate 0 of each list is the model's first sample."})
public final class SampleCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "MODEL", description = "Model: a Hugging Face checkpoint folder or a .gguf file (needs its tokenizer).")
    Path model;

    @Option(names = "--data", required = true, description = "Lists JSONL whose prompts to answer (repeatable; candidates are ignored).")
    List<Path> data;

    @Option(names = "--skip-with", paramLabel = "FIELD", description = "Skip lists whose FIELD is present and not null (repeatable; "
            + "e.g. context: HarmBench's contextual behaviours, whose prompt needs its context).")
    List<String> skipWith = List.of();

    @Option(names = "--limit", defaultValue = "0", description = "Prompts to answer, 0 = all (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--n", defaultValue = "8", description = "Candidates per prompt (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--max-new-tokens", defaultValue = "48", description = "Tokens per candidate at most (default: ${DEFAULT-VALUE}).")
    int maxNewTokens;

    @Option(names = "--temperature", defaultValue = "0.8", description = "Sampling temperature, > 0 (default: ${DEFAULT-VALUE}).")
    float temperature;

    @Option(names = "--top-p", defaultValue = "0.95", description = "Nucleus sampling mass, in (0, 1] (default: ${DEFAULT-VALUE}).")
    float topP;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the prompt order and of every prompt's candidates (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--chunk", defaultValue = "8", description = "Prompts per resumable chunk (default: ${DEFAULT-VALUE}).")
    int chunk;

    @Option(names = "--keywords", paramLabel = "FILE", description = "Keyword lists in the format of the bundled keywords.json (default: the bundled rule).")
    Path keywords;

    @Option(names = "--rule", defaultValue = "paper", paramLabel = "paper|refusal",
            description = "How keyword labels become harm labels: paper (refusal = safe, leading affirmation = unsafe, "
                    + "neither = unlabelled) or refusal (AdvBench's refusal-prefix rule: no refusal phrase = unsafe). Only "
                    + "the lists written depend on it, so a finished run is relabelled without sampling again (default: ${DEFAULT-VALUE}).")
    String rule;

    @Option(names = "--id-prefix", defaultValue = "self-", description = "Put before each list id (default: ${DEFAULT-VALUE}).")
    String idPrefix;

    @Option(names = "--out", required = true, description = "All lists, JSONL (written atomically when every chunk is done).")
    Path out;

    @Option(names = "--parts", paramLabel = "DIR", description = "Folder of the resumable chunks (default: OUT.parts). Give "
            + "another run's folder, with its settings, to write its answers under another --rule without sampling again.")
    Path parts;

    @Option(names = "--out-usable", description = "The lists with a safe and an unsafe candidate, JSONL.")
    Path outUsable;

    @Mixin
    BackendOption backend;

    @Mixin
    JsonOption json;

    @Mixin
    QuietOption quiet;

    @Override
    public Integer call() {
        if (n < 2) throw new SrrException("--n: a list needs at least 2 candidates, got " + n);
        if (limit < 0) throw new SrrException("--limit must be 0 (all) or positive, got " + limit);
        PrintWriter err = spec.commandLine().getErr();
        List<SafetyList> lists = ListDataset.read(data).lists().stream()
                .filter(l -> skipWith.stream().noneMatch(f -> l.fields().hasNonNull(f))).toList();
        List<SafetyList> prompts = ListSampler.choosePrompts(lists, limit, seed);
        if (prompts.isEmpty()) throw new SrrException(data + ": no prompts to answer");
        HarmRule harmRule = HarmRule.parse(this.rule);
        KeywordRule rule = keywords == null ? KeywordRule.standard() : KeywordRule.read(keywords);
        GenerationOptions options = new GenerationOptions(n, maxNewTokens, new SamplingOptions(false, temperature, 0, topP, 0f, 1f),
                seed, List.of(), false, new int[0], PromptTruncation.LEFT);
        ListSampler.Settings settings = new ListSampler.Settings(model.getFileName().toString(), n, maxNewTokens, temperature, topP,
                seed, chunk, keywords == null ? "bundled" : keywords.toString());
        try (LoadedModel m = LoadedModel.open(model, backend.name)) {
            ListSampler sampler = new ListSampler(m, ModelTokenizer.load(model), rule, harmRule);
            if (!quiet.on) err.printf("sample: %d prompts, K = %d, T = %s, top-p = %s, at most %d new tokens%n", prompts.size(), n,
                    temperature, topP, maxNewTokens);
            ListSampler.Summary s = sampler.run(prompts, settings, options, idPrefix,
                    parts != null ? parts : Path.of(out + ".parts"), out, outUsable, (done, resumed, total, tokens, secs) -> {
                if (quiet.on) return;
                int fresh = done - resumed;
                double rate = fresh / Math.max(secs, 1e-9);
                err.printf(Locale.ROOT, "sample: %d/%d prompts (%d resumed), %.3f prompts/s, %.1f tokens/s, eta %.0f s%n", done, total,
                        resumed, rate, tokens / Math.max(secs, 1e-9), (total - done) / Math.max(rate, 1e-9));
                err.flush();
            });
            if (json.on) {
                Map<String, Object> doc = new LinkedHashMap<>(settings.toJson());
                doc.putAll(s.toJson());
                doc.put("rule", harmRule.label());
                doc.put("out", out.toString());
                doc.put("out_usable", outUsable == null ? null : outUsable.toString());
                spec.commandLine().getOut().println(Json.write(doc));
            } else {
                spec.commandLine().getOut().printf(Locale.ROOT, "sample: %d prompts, %d candidates sampled, %d distinct; %s rule: %d safe, "
                                + "%d unsafe, %d unlabelled; %d usable lists%s%n", s.prompts(), s.sampled(), s.distinct(), harmRule.label(),
                        s.safe(), s.unsafe(), s.distinct() - s.safe() - s.unsafe(), s.usable(),
                        s.generatedTokens() > 0 ? String.format(Locale.ROOT, "; generated %d tokens in %.0f s", s.generatedTokens(),
                                s.generationSeconds()) : "");
            }
        }
        return 0;
    }
}
