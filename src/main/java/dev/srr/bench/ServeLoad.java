package dev.srr.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.srr.SrrException;
import dev.srr.io.Json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A load generator for srr serve: {@code clients} concurrent clients send {@code requests} chat completions in all
 * (each waits for its answer before sending the next) and the phase reports throughput, latency percentiles and the
 * batch sizes the server reached, read from its /metrics and /health.
 */
public final class ServeLoad {
    private final URI base;
    private final String pid;
    private final HttpClient http = HttpClient.newHttpClient();

    /**
     * @param base the server, e.g. http://127.0.0.1:8080
     * @param pid  the server's process id, to report tokens per CPU-second of the server (Linux), or null
     */
    public ServeLoad(URI base, String pid) {
        this.base = base;
        this.pid = pid;
    }

    /** User + system CPU seconds of the server process so far, from /proc/PID/stat; NaN when unknown. */
    double serverCpuSeconds() {
        if (pid == null) return Double.NaN;
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", pid, "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime, stime in USER_HZ (100 on Linux)
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /**
     * One phase. Request i asks with seed i, temperature 0.7 and the given K.
     *
     * @return clients, requests, wall_s, completion_tokens (answers), generated_tokens (all K candidates),
     * tokens_per_s (generated / wall), server_cpu_s and tokens_per_cpu_s (with a pid), p50_s, p99_s, mean_batch_rows (candidate rows per step in this phase),
     * max_batch_rows (since the server started)
     * @throws SrrException when a request fails
     */
    public Map<String, Object> phase(int clients, int requests, int maxTokens, int k, String prompt) throws Exception {
        double[] before = decodeRows();
        double cpuBefore = serverCpuSeconds();
        AtomicInteger next = new AtomicInteger();
        double[] latency = new double[requests];
        long[] completion = new long[requests];
        long[] generated = new long[requests];
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                futures.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                        Map<String, Object> body = new LinkedHashMap<>();
                        body.put("model", "bench");
                        body.put("messages", List.of(Map.of("role", "user", "content", prompt)));
                        body.put("max_tokens", maxTokens);
                        body.put("temperature", 0.7);
                        body.put("seed", i);
                        body.put("srr", Map.of("k", k));
                        long t0 = System.nanoTime();
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/v1/chat/completions"))
                                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))).header("Content-Type", "application/json")
                                .build(), HttpResponse.BodyHandlers.ofString());
                        latency[i] = (System.nanoTime() - t0) / 1e9;
                        if (r.statusCode() != 200) throw new SrrException("request " + i + " got " + r.statusCode() + ": " + r.body());
                        JsonNode doc = Json.parse(r.body(), "response");
                        completion[i] = doc.path("usage").path("completion_tokens").asLong();
                        generated[i] = doc.path("srr").path("generated_tokens").asLong();
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) f.get();
        }
        double wall = (System.nanoTime() - start) / 1e9;
        double[] after = decodeRows();
        double cpu = serverCpuSeconds() - cpuBefore;
        double[] sorted = latency.clone();
        Arrays.sort(sorted);
        long gen = Arrays.stream(generated).sum();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("clients", clients);
        out.put("requests", requests);
        out.put("max_tokens", maxTokens);
        out.put("k", k);
        out.put("wall_s", round(wall));
        out.put("completion_tokens", Arrays.stream(completion).sum());
        out.put("generated_tokens", gen);
        out.put("tokens_per_s", round(gen / wall));
        out.put("requests_per_s", round(requests / wall));
        if (!Double.isNaN(cpu)) {
            out.put("server_cpu_s", round(cpu));
            out.put("tokens_per_cpu_s", round(gen / cpu));
        }
        out.put("p50_s", round(percentile(sorted, 0.50)));
        out.put("p99_s", round(percentile(sorted, 0.99)));
        double steps = after[1] - before[1];
        out.put("mean_batch_rows", steps == 0 ? 0 : round((after[0] - before[0]) / steps));
        out.put("max_batch_rows", health().path("max_batch_rows").asInt());
        return out;
    }

    /** The sample at quantile q of sorted samples (nearest rank). */
    static double percentile(double[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static double round(double x) {
        return Math.round(x * 1000) / 1000.0;
    }

    JsonNode health() throws IOException, InterruptedException {
        return Json.parse(http.send(HttpRequest.newBuilder(base.resolve("/health")).build(), HttpResponse.BodyHandlers.ofString()).body(),
                "health");
    }

    /** Sum and count of the server's srr_batch_decode_rows histogram. */
    private double[] decodeRows() throws IOException, InterruptedException {
        String text = http.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        double sum = 0;
        double count = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith("srr_batch_decode_rows_sum ")) sum = Double.parseDouble(line.substring(line.indexOf(' ') + 1));
            if (line.startsWith("srr_batch_decode_rows_count ")) count = Double.parseDouble(line.substring(line.indexOf(' ') + 1));
        }
        return new double[]{sum, count};
    }
}
