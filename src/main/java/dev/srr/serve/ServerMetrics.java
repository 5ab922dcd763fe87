package dev.srr.serve;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The server's counters for {@code GET /metrics}, in the Prometheus text format (written by the Prometheus Java
 * client, which keeps the format's escaping and histogram rules): requests by endpoint and status, prompt and
 * generated tokens, queue depth, active sequences, rows per batched step, and latency histograms (request, step).
 */
public final class ServerMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests = Counter.builder().name("srr_requests_total")
            .help("HTTP requests answered, by endpoint and status").labelNames("endpoint", "status").register(registry);
    private final Histogram latency = Histogram.builder().name("srr_request_duration_seconds")
            .help("Time from a request's arrival to its last byte, by endpoint").labelNames("endpoint").classicOnly()
            .classicUpperBounds(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120).register(registry);
    private final Counter promptTokens = Counter.builder().name("srr_prompt_tokens_total")
            .help("Prompt tokens of generation requests").register(registry);
    private final Counter generatedTokens = Counter.builder().name("srr_generated_tokens_total")
            .help("Tokens generated, all K candidates of every request counted").register(registry);
    private final Counter cancelled = Counter.builder().name("srr_cancelled_requests_total")
            .help("Generations dropped because their client went away").register(registry);
    private final Gauge queueDepth = Gauge.builder().name("srr_queue_depth")
            .help("Requests waiting for room in the batch").register(registry);
    private final Gauge activeSequences = Gauge.builder().name("srr_active_sequences")
            .help("Candidate sequences in the batch").register(registry);
    private final Histogram batchRows = Histogram.builder().name("srr_batch_rows")
            .help("Rows per batched forward step (candidate tokens plus prompt-chunk tokens)").classicOnly()
            .classicUpperBounds(1, 2, 4, 8, 16, 32, 64, 128, 256, 512).register(registry);
    private final Histogram batchSequences = Histogram.builder().name("srr_batch_decode_rows")
            .help("Candidate rows per batched step: the sequences that decoded together").classicOnly()
            .classicUpperBounds(1, 2, 4, 8, 16, 32, 64, 128).register(registry);
    private final Histogram stepSeconds = Histogram.builder().name("srr_step_duration_seconds")
            .help("Time of one batched forward step").classicOnly()
            .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5).register(registry);
    private volatile int maxDecodeRows;

    /** One answered request. */
    public void request(String endpoint, int status, long nanos) {
        requests.labelValues(endpoint, Integer.toString(status)).inc();
        latency.labelValues(endpoint).observe(nanos / 1e9);
    }

    public void tokens(int prompt, int generated) {
        promptTokens.inc(prompt);
        generatedTokens.inc(generated);
    }

    void cancelled() {
        cancelled.inc();
    }

    void queueDepth(int n) {
        queueDepth.set(n);
    }

    void activeSequences(int n) {
        activeSequences.set(n);
    }

    void step(int decodeRows, int prefillRows, long nanos) {
        batchRows.observe(decodeRows + prefillRows);
        if (decodeRows > 0) batchSequences.observe(decodeRows);
        if (decodeRows > maxDecodeRows) maxDecodeRows = decodeRows;
        stepSeconds.observe(nanos / 1e9);
    }

    /** The most candidate rows one step has decoded together since start. */
    public int maxDecodeRows() {
        return maxDecodeRows;
    }

    public String contentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }

    /** Every metric in the Prometheus text exposition format (version 0.0.4). */
    public byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape(), io.prometheus.metrics.config.EscapingScheme.ALLOW_UTF8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
