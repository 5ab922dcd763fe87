package dev.srr.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.srr.SrrException;
import dev.srr.engine.Generator;
import dev.srr.io.Json;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * srr's OpenAI-compatible HTTP server: the JDK's {@link HttpServer}, one virtual thread per exchange, and one
 * {@link Scheduler} thread that owns the model. Endpoints: {@code POST /v1/chat/completions}, {@code POST /v1/rank},
 * {@code POST /v1/embeddings}, {@code GET /v1/models}, {@code GET /health}, {@code GET /metrics}. Every error is OpenAI's
 * envelope {@code {"error": {"message", "type", "param", "code"}}} with its status; no stack trace reaches a client.
 */
public final class SrrServer implements AutoCloseable {
    private final ServedModel served;
    private final ServeLimits limits;
    private final ServerMetrics metrics = new ServerMetrics();
    private final Scheduler scheduler;
    private final HttpServer http;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final ChatCompletions chat;
    private final Embeddings embeddings;
    private final PrintWriter log;
    private final long created = System.currentTimeMillis() / 1000;
    private volatile boolean draining;
    private boolean closed;
    /** Exchanges being handled; draining waits for them too, so a finished generation's answer is fully written. */
    private final Object exchanges = new Object();
    private int inFlight;

    /**
     * Binds and starts serving. Port 0 picks a free port ({@link #port()}).
     *
     * @param log request and lifecycle lines, or null for none
     * @throws IOException when the address cannot be bound
     */
    public SrrServer(ServedModel served, ServeLimits limits, String host, int port, PrintWriter log) throws IOException {
        this.served = served;
        this.limits = limits;
        this.log = log;
        this.scheduler = new Scheduler(served.model().forward(), Generator.of(served.model().forward(), served.tokenizer()), limits, metrics);
        this.chat = new ChatCompletions(served, scheduler, limits, metrics);
        this.embeddings = new Embeddings(served, scheduler);
        try {
            this.http = HttpServer.create(new InetSocketAddress(host, port), 128);
        } catch (IOException e) {
            scheduler.close();
            throw e;
        }
        http.setExecutor(executor);
        http.createContext("/", this::exchange);
        http.start();
    }

    public int port() {
        return http.getAddress().getPort();
    }

    public String address() {
        return "http://" + http.getAddress().getHostString() + ":" + port();
    }

    public ServerMetrics metrics() {
        return metrics;
    }

    private void exchange(HttpExchange ex) {
        synchronized (exchanges) {
            inFlight++;
        }
        try {
            handle(ex);
        } finally {
            synchronized (exchanges) {
                inFlight--;
                exchanges.notifyAll();
            }
        }
    }

    private void handle(HttpExchange ex) {
        long start = System.nanoTime();
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getPath();
        String endpoint = endpoint(path);
        int status = 200;
        String note = "";
        try {
            note = route(ex, method, path, endpoint);
        } catch (Throwable t) {
            ApiError e = errorOf(t);
            status = e.status();
            note = e.getMessage();
            if (e.status() >= 500 && !(t instanceof ApiError) && log != null) {
                log.println("srr serve: internal error on " + method + " " + path + ": " + t);
            }
            try {
                HttpIo.json(ex, e.status(), e.envelope());
            } catch (IOException | RuntimeException ignored) {
                // headers were already sent, or the client has gone: nothing more to tell it
            }
        } finally {
            ex.close();
            long nanos = System.nanoTime() - start;
            metrics.request(endpoint, status, nanos);
            if (log != null && !endpoint.equals("/metrics") && !endpoint.equals("/health")) {
                log.println(String.format(Locale.ROOT, "srr serve: %s %s %d %.3fs %s", method, path, status, nanos / 1e9, note));
            }
        }
    }

    /** The endpoint a path names, for metrics labels (unknown paths share one label, so labels stay bounded). */
    private static String endpoint(String path) {
        return switch (path) {
            case "/v1/chat/completions", "/v1/rank", "/v1/embeddings", "/v1/models", "/health", "/metrics" -> path;
            default -> "other";
        };
    }

    private String route(HttpExchange ex, String method, String path, String endpoint) throws IOException {
        switch (endpoint) {
            case "/v1/chat/completions", "/v1/rank", "/v1/embeddings" -> {
                requireMethod(method, "POST", path);
                if (draining) throw new ApiError(503, "server_error", "the server is shutting down", null, "shutting_down");
                byte[] body = HttpIo.body(ex, limits.maxBodyBytes());
                return switch (endpoint) {
                    case "/v1/chat/completions" -> chat.handle(ex, body);
                    case "/v1/rank" -> rank(ex, body);
                    default -> embeddings.handle(ex, body);
                };
            }
            case "/v1/models" -> {
                requireMethod(method, "GET", path);
                Map<String, Object> model = new LinkedHashMap<>();
                model.put("id", served.id());
                model.put("object", "model");
                model.put("created", created);
                model.put("owned_by", "srr");
                HttpIo.json(ex, 200, Map.of("object", "list", "data", List.of(model)));
                return "";
            }
            case "/health" -> {
                requireMethod(method, "GET", path);
                Map<String, Object> h = new LinkedHashMap<>();
                h.put("status", draining ? "draining" : "ok");
                h.put("model", served.id());
                h.put("queued", scheduler.queued());
                h.put("active_sequences", scheduler.activeSequences());
                h.put("max_batch_rows", metrics.maxDecodeRows());
                HttpIo.json(ex, draining ? 503 : 200, h);
                return "";
            }
            case "/metrics" -> {
                requireMethod(method, "GET", path);
                ex.getResponseHeaders().set("Content-Type", metrics.contentType());
                HttpIo.send(ex, 200, metrics.scrape());
                return "";
            }
            default -> throw ApiError.notFound("no endpoint " + method + " " + path
                    + " (this server has /v1/chat/completions, /v1/rank, /v1/embeddings, /v1/models, /health, /metrics)");
        }
    }

    private static void requireMethod(String method, String wanted, String path) {
        if (!method.equals(wanted)) {
            throw new ApiError(405, "invalid_request_error", path + " takes " + wanted + ", not " + method, null, "method_not_allowed");
        }
    }

    /** {@code POST /v1/rank}: one list in the lists-JSONL shape; its candidates' scores, the order and the chosen one. */
    private String rank(HttpExchange ex, byte[] body) throws IOException {
        if (!served.ranks()) throw ApiError.badField(null, "this server was started without --ranker, so it cannot rank");
        var list = dev.srr.data.ListDataset.parse(new String(body, StandardCharsets.UTF_8), "request body", 1);
        if (list.candidates().isEmpty()) throw ApiError.badField("candidates", "candidates must hold at least one candidate");
        double[] scores = await(scheduler.call(() -> served.responder().rank(list)));
        int[] order = dev.srr.rank.RankingMetrics.order(scores);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("object", "srr.ranking");
        doc.put("id", list.id());
        doc.put("model", served.id());
        doc.put("scores", scores);
        doc.put("order", order);
        doc.put("chosen", order[0]);
        HttpIo.json(ex, 200, doc);
        return "candidates=" + scores.length;
    }

    static <T> T await(java.util.concurrent.CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw e;
        }
    }

    /** Parses a request body. @throws ApiError 400 with the parser's message when it is not JSON */
    static JsonNode parseJson(byte[] body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            String m = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
            throw new ApiError(400, "invalid_request_error", "the request body is not valid JSON: " + m, null, "invalid_json");
        } catch (RuntimeException e) {
            throw new ApiError(400, "invalid_request_error", "the request body is not valid JSON", null, "invalid_json");
        }
    }

    /** The error a client sees for {@code t}: its own for ApiError, 400 for srr's user errors, 500 (no details) else. */
    static ApiError errorOf(Throwable t) {
        if (t instanceof CompletionException && t.getCause() != null) t = t.getCause();
        if (t instanceof ApiError e) return e;
        if (t instanceof SrrException e) return new ApiError(400, "invalid_request_error", e.getMessage(), null, "invalid_value");
        if (t instanceof CancellationException) {
            return new ApiError(503, "server_error", "the request was cancelled (the server is stopping)", null, "cancelled");
        }
        return new ApiError(500, "server_error", "internal server error", null, "internal_error");
    }

    /**
     * Stops taking requests (503), waits up to {@code drainMillis} for the running ones to finish, then stops the HTTP
     * server and the engine thread. The model stays open: it is its opener's to close.
     */
    public synchronized void shutdown(long drainMillis) {
        if (closed) return;
        closed = true;
        draining = true;
        boolean drained;
        long end = System.currentTimeMillis() + drainMillis;
        try {
            drained = scheduler.drain(drainMillis);
            synchronized (exchanges) {
                while (drained && inFlight > 0) {
                    long left = end - System.currentTimeMillis();
                    if (left <= 0) drained = false;
                    else exchanges.wait(left);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            drained = false;
        }
        if (log != null) log.println("srr serve: " + (drained ? "drained, stopping" : "drain timed out, stopping"));
        http.stop(1);
        scheduler.close();
        executor.shutdownNow();
    }

    @Override
    public void close() {
        shutdown(0);
    }
}
