package dev.srr.cli;

import dev.srr.SrrException;
import dev.srr.engine.LoadedModel;
import dev.srr.rank.RankerCheckpoint;
import dev.srr.respond.Responder;
import dev.srr.serve.ServeLimits;
import dev.srr.serve.ServedModel;
import dev.srr.serve.SrrServer;
import dev.srr.tokenizer.ModelTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serve MODEL over HTTP with OpenAI's API: POST /v1/chat/completions answers with the safest of K sampled "
                + "candidates, chosen by the ranker from the model's own hidden states (captured while they decode).",
                "Also POST /v1/rank (score given candidates), POST /v1/embeddings (hidden states), GET /v1/models, /health and "
                        + "/metrics (Prometheus). All requests decode together in one batch, one forward per token; queue, "
                        + "sequences, KV cache, body size and max_tokens are bounded. SIGTERM (Ctrl-C) drains running requests, "
                        + "then exits. A request picks K with {\"srr\": {\"k\": 8}} and sees every candidate with "
                        + "{\"srr\": {\"candidates\": true}}. Without --ranker, answers are plain generations (K = 1).",
                "Details: docs/serve.md."})
public final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "MODEL", description = "Model with its tokenizer: a Hugging Face checkpoint folder or a .gguf file.")
    Path model;

    @Option(names = "--ranker", description = "Ranker folder from srr train; without it, answers are plain generations.")
    Path ranker;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--n", defaultValue = "8", description = "Candidates K per request unless it asks with srr.k (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--max-active-sequences", defaultValue = "64", description = "Candidates decoding at once over all requests (default: ${DEFAULT-VALUE}).")
    int maxActive;

    @Option(names = "--max-queued", defaultValue = "64", description = "Requests waiting for room before 429 (default: ${DEFAULT-VALUE}).")
    int maxQueued;

    @Option(names = "--max-body-bytes", defaultValue = "1048576", description = "Larger request bodies get 413 (default: ${DEFAULT-VALUE}).")
    long maxBody;

    @Option(names = "--max-tokens", defaultValue = "512", description = "Largest max_tokens a request may ask for, and the default (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--kv-budget-mib", defaultValue = "2048", description = "KV-cache memory the admitted requests may reserve, in MiB (default: ${DEFAULT-VALUE}).")
    long kvBudgetMib;

    @Option(names = "--prefill-chunk", defaultValue = "128", description = "Prompt tokens per batched step, so long prompts do not stall running requests (default: ${DEFAULT-VALUE}).")
    int prefillChunk;

    @Option(names = "--drain-seconds", defaultValue = "60", description = "On SIGTERM, how long running requests may take to finish (default: ${DEFAULT-VALUE}).")
    int drainSeconds;

    @Mixin
    BackendOption backend;

    @Mixin
    QuietOption quiet;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (n < 1) throw new SrrException("--n must be at least 1, got " + n);
        if (port < 0 || port > 65535) throw new SrrException("--port must be in 0..65535, got " + port);
        if (maxActive < 1 || maxQueued < 0 || maxBody < 1 || maxTokens < 1 || kvBudgetMib < 1 || prefillChunk < 1 || drainSeconds < 0) {
            throw new SrrException("--max-active-sequences, --max-body-bytes, --max-tokens, --kv-budget-mib and --prefill-chunk must be "
                    + "at least 1, --max-queued and --drain-seconds at least 0");
        }
        PrintWriter err = spec.commandLine().getErr();
        ModelTokenizer tokenizer = PromptArgs.tokenizerOf(model);
        if (tokenizer == null) throw new SrrException(model + ": no tokenizer.json, which serve needs");
        ServeLimits limits = new ServeLimits(maxActive, maxQueued, maxBody, maxTokens, kvBudgetMib << 20, prefillChunk, 2000);
        LoadedModel m = LoadedModel.open(model, backend.name);
        Responder responder = null;
        SrrServer server;
        try {
            if (ranker != null) responder = new Responder(m, tokenizer, RankerCheckpoint.load(ranker), ranker, backend.name);
            String id = model.getFileName().toString().replaceFirst("(?i)\\.gguf$", "");
            ServedModel served = new ServedModel(id, m, tokenizer, responder, ranker == null ? 1 : n);
            server = new SrrServer(served, limits, host, port, quiet.on ? null : err);
        } catch (IOException e) {
            if (responder != null) responder.close();
            m.close();
            throw new SrrException("cannot listen on " + host + ":" + port + ": " + e.getMessage());
        } catch (RuntimeException e) {
            if (responder != null) responder.close();
            m.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Responder r = responder;
        Thread hook = new Thread(() -> {
            err.println("srr serve: stopping; draining running requests (up to " + drainSeconds + " s)");
            server.shutdown(drainSeconds * 1000L);
            if (r != null) r.close();
            m.close();
            stopped.countDown();
        }, "srr-serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        err.println("srr serve: listening on " + server.address() + " (model " + model + ", "
                + (ranker == null ? "no ranker: plain generation" : "ranker " + ranker + ", K = " + n) + ", backend " + backend.name + ")");
        err.flush();
        stopped.await();
        return 0;
    }
}
