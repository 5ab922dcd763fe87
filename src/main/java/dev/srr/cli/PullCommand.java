package dev.srr.cli;

import dev.srr.SrrException;
import dev.srr.hub.FileSelection;
import dev.srr.hub.HubConfig;
import dev.srr.hub.ModelRef;
import dev.srr.hub.PullResult;
import dev.srr.hub.Puller;
import dev.srr.io.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "pull", mixinStandardHelpOptions = true,
        description = {
                "Download a model from the Hugging Face Hub into the cache huggingface_hub uses (as `hf download` "
                        + "does), so srr and Python tools share the files.",
                "",
                "Which files: without --include, what srr loads: config.json, the safetensors weights (the shards "
                        + "model.safetensors.index.json names, or model.safetensors), and tokenizer.json, "
                        + "tokenizer_config.json, special_tokens_map.json and generation_config.json where present.",
                "From a repository of GGUF files, name one file after a colon:",
                "  ORG/NAME:model-Q4_K_M.gguf   a path in the repository",
                "  ORG/NAME:*Q4_K_M.gguf        a pattern that matches one file",
                "  ORG/NAME:Q4_K_M              a quantization tag, short for :*Q4_K_M.gguf",
                "--include (repeatable) takes the matching files instead; --exclude leaves files out. Patterns are "
                        + "shell globs as in `hf download` (* also crosses /).",
                "",
                "Environment, as huggingface_hub reads it:",
                "  HF_HUB_CACHE    the cache (default $HF_HOME/hub; HF_HOME defaults to",
                "                  ~/.cache/huggingface); --cache-dir overrides",
                "  HF_ENDPOINT     the Hub (default https://huggingface.co)",
                "  HF_TOKEN        token for gated and private repositories (else the file",
                "                  $HF_HOME/token that `hf auth login` writes)",
                "  HF_HUB_OFFLINE  1: use the cache only",
                "",
                "Files already in the cache are not downloaded again. An interrupted download resumes where it "
                        + "stopped; every file is checked against its SHA-256 (git SHA-1 for small files) before it "
                        + "is put in place. Progress goes to standard error; standard output gets the snapshot folder "
                        + "(the file, for ORG/NAME:FILE), or with --json a summary.",
                "",
                "Every command that takes MODEL accepts ORG/NAME[@REVISION][:FILE] too, from the cache; add --pull "
                        + "there to download it first when the cache lacks it."},
        footer = {"", "Examples:",
                "  srr pull Qwen/Qwen3-0.6B",
                "  srr pull unsloth/Qwen3-0.6B-GGUF:Q4_K_M",
                "  srr pull meta-llama/Llama-3.2-1B-Instruct@main --exclude 'original/*'",
                "  srr info Qwen/Qwen3-0.6B"})
public final class PullCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ORG/NAME[@REVISION][:FILE]",
            description = "The repository (e.g. Qwen/Qwen3-0.6B), a branch, tag or commit (default main), and optionally one file.")
    String model;

    @Option(names = "--include", paramLabel = "GLOB", description = "Pull the files matching GLOB instead of srr's default set (repeatable).")
    List<String> include = new ArrayList<>();

    @Option(names = "--exclude", paramLabel = "GLOB", description = "Leave out the files matching GLOB (repeatable).")
    List<String> exclude = new ArrayList<>();

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "The cache folder (default: $HF_HUB_CACHE, $HF_HOME/hub or ~/.cache/huggingface/hub).")
    Path cacheDir;

    @Option(names = "--json", description = "Print a JSON summary: repo, revision, commit, snapshot, path, files with sizes, bytes downloaded and cached.")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "No progress on standard error.")
    boolean quiet;

    @Override
    public Integer call() {
        ModelRef ref = ModelRef.parse(model);
        if (ref.file() != null && !include.isEmpty()) {
            throw new SrrException(model + ": name one file after the colon or use --include, not both");
        }
        FileSelection selection = ref.file() != null ? ref.selection().excluding(exclude) : new FileSelection(include, exclude);
        HubConfig config = HubConfig.fromEnvironment();
        if (cacheDir != null) config = config.withCacheDir(cacheDir);
        long t0 = System.nanoTime();
        PullResult r = new Puller(config, new PullProgress(spec.commandLine().getErr(), quiet)).pull(ref, selection, ref.file() != null);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Path path = ref.file() != null ? r.local(r.files().getFirst().path()) : r.snapshot();
        if (json) {
            spec.commandLine().getOut().println(Json.write(summary(r, path, seconds)));
        } else {
            if (!quiet && !r.fromCacheOnly()) {
                spec.commandLine().getErr().printf("pull: done: %d of %d files downloaded (%s), %s already in the cache, %.1f s%n",
                        r.downloadedFiles(), r.files().size(), PullProgress.bytes(r.receivedBytes()),
                        PullProgress.bytes(r.cachedBytes()), seconds);
            }
            spec.commandLine().getOut().println(path);
        }
        return 0;
    }

    private static Map<String, Object> summary(PullResult r, Path path, double seconds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("repo", r.ref().repo());
        m.put("revision", r.ref().revision());
        m.put("commit", r.commit());
        m.put("snapshot", r.snapshot().toString());
        m.put("path", path.toString());
        m.put("offline", r.fromCacheOnly());
        List<Map<String, Object>> files = new ArrayList<>();
        for (PullResult.PulledFile f : r.files()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("path", f.path());
            e.put("size", f.size());
            e.put("status", f.cached() ? "cached" : "downloaded");
            e.put("received_bytes", f.received());
            files.add(e);
        }
        m.put("files", files);
        m.put("downloaded_files", r.downloadedFiles());
        m.put("downloaded_bytes", r.receivedBytes());
        m.put("cached_bytes", r.cachedBytes());
        m.put("seconds", Math.round(seconds * 1000) / 1000.0);
        return m;
    }
}
