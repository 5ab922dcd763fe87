package dev.srr.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.srr.cli.CliRunner;
import dev.srr.io.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * srr serve over raw HTTP (java.net.http and plain sockets): malformed and oversize bodies, slow clients, a full queue,
 * a client that disconnects mid-stream, ranking against srr rank, metrics, and draining on shutdown. The server admits
 * one sequence and queues one request, so a long greedy stream holds the batch while the others are tried.
 */
class ServeHttpTest {
    static final int BODY_LIMIT = 4096;
    static final String LONG = "{\"messages\":[{\"role\":\"user\",\"content\":\"Count with me\"}],\"temperature\":0,\"max_tokens\":4000,"
            + "\"stream\":true,\"srr\":{\"k\":1}}";
    static ServeFixture fixture;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws IOException {
        fixture = new ServeFixture(new ServeLimits(1, 1, BODY_LIMIT, 4000, 1L << 30, 64, 50), 1);
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    static HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(fixture.base() + path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(String base, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Asserts OpenAI's error envelope with this status, param and code, and nothing of Java's in it. */
    static JsonNode assertError(HttpResponse<String> r, int status, String param, String code) {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode e = Json.parse(r.body(), "error").get("error");
        assertTrue(e.get("message").asText().length() > 5, r.body());
        if (param != null) assertEquals(param, e.get("param").asText(), r.body());
        if (code != null) assertEquals(code, e.get("code").asText(), r.body());
        assertFalse(r.body().contains("Exception") || r.body().contains("\tat ") || r.body().contains("java."), r.body());
        return e;
    }

    @Test
    void malformedBodiesGet400NamingTheField() throws Exception {
        String p = "/v1/chat/completions";
        assertError(post(p, "{not json"), 400, null, "invalid_json");
        assertError(post(p, "[1, 2]"), 400, null, null);
        assertError(post(p, "{}"), 400, "messages", "missing_field");
        assertError(post(p, "{\"messages\": []}"), 400, "messages", null);
        assertError(post(p, "{\"messages\": [{\"role\": \"user\", \"content\": 5}]}"), 400, "messages.0.content", null);
        assertError(post(p, "{\"messages\": [{\"content\": \"hi\"}]}"), 400, "messages.0.role", null);
        String hi = "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], ";
        assertError(post(p, hi + "\"max_tokens\": \"many\"}"), 400, "max_tokens", null);
        assertError(post(p, hi + "\"max_tokens\": 4001}"), 400, "max_tokens", null);
        assertError(post(p, hi + "\"stop\": [\"a\", 3]}"), 400, "stop.1", null);
        assertError(post(p, hi + "\"stream\": \"yes\"}"), 400, "stream", null);
        assertError(post(p, hi + "\"srr\": {\"kk\": 2}}"), 400, "srr.kk", null);
        assertError(post(p, hi + "\"srr\": {\"k\": 2}}"), 400, "srr.k", null); // more than the one active sequence allowed
        assertError(post("/v1/embeddings", "{\"input\": \"hi\", \"srr\": {\"layer\": 99}}"), 400, "srr.layer", null);
        assertError(post("/v1/rank", "{\"prompt\": \"hi\"}"), 400, null, null);
        assertError(post("/v1/nothing", "{}"), 404, null, "not_found");
        assertError(get(fixture.base(), "/v1/chat/completions"), 405, null, "method_not_allowed");
    }

    @Test
    void bodiesOverTheLimitGet413WithOrWithoutContentLength() throws Exception {
        String big = "{\"messages\": [{\"role\": \"user\", \"content\": \"" + "x".repeat(BODY_LIMIT) + "\"}]}";
        assertError(post("/v1/chat/completions", big), 413, null, "request_too_large");
        byte[] bytes = big.getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(URI.create(fixture.base() + "/v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertError(chunked, 413, null, "request_too_large");
    }

    @Test
    void aSlowClientHoldsOnlyItsOwnRequest() throws Exception {
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":0,\"max_tokens\":3}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (Socket slow = new Socket("127.0.0.1", fixture.server.port())) {
            OutputStream out = slow.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                    + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.write(bytes, 0, bytes.length / 2);
            out.flush();
            // while the slow client is half way through its body, others are served
            assertEquals(200, get(fixture.base(), "/health").statusCode());
            HttpResponse<String> other = post("/v1/chat/completions", body);
            assertEquals(200, other.statusCode(), other.body());
            out.write(bytes, bytes.length / 2, bytes.length - bytes.length / 2);
            out.flush();
            java.io.InputStream in = slow.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) head.append((char) in.read());
            assertTrue(head.toString().startsWith("HTTP/1.1 200 OK"), head.toString());
            int length = Integer.parseInt(head.toString().replaceAll("(?is).*content-length: *(\\d+).*", "$1"));
            String line = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            assertEquals(Json.parse(other.body(), "other").get("choices"), Json.parse(line, "slow").get("choices"),
                    "the same greedy answer");
        }
    }

    /** Sends a streaming request on a plain socket and reads up to its first content token. */
    static Socket streamUntilFirstToken() throws IOException {
        Socket s = new Socket("127.0.0.1", fixture.server.port());
        byte[] bytes = LONG.getBytes(StandardCharsets.UTF_8);
        s.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().write(bytes);
        s.getOutputStream().flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("HTTP/1.1 200 OK", in.readLine());
        String line;
        while ((line = in.readLine()) != null) {
            if (line.startsWith("data: {") && line.contains("\"content\":\"") && !line.contains("\"content\":\"\"")) break;
        }
        return s;
    }

    static void await(String what, Supplier<Boolean> condition) throws InterruptedException {
        for (int i = 0; i < 20_000 && !condition.get(); i++) Thread.sleep(1);
        assertTrue(condition.get(), what);
    }

    static JsonNode health(String base) {
        try {
            return Json.parse(get(base, "/health").body(), "health");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String metrics() {
        try {
            return get(fixture.base(), "/metrics").body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aFullQueueGets429AndADisconnectedStreamIsCancelled() throws Exception {
        String small = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":0,\"max_tokens\":4}";
        CompletableFuture<HttpResponse<String>> queued;
        try (Socket running = streamUntilFirstToken()) {
            queued = http.sendAsync(HttpRequest.newBuilder(URI.create(fixture.base() + "/v1/chat/completions"))
                    .POST(HttpRequest.BodyPublishers.ofString(small)).build(), HttpResponse.BodyHandlers.ofString());
            await("the second request waits", () -> health(fixture.base()).get("queued").asInt() == 1);
            assertError(post("/v1/chat/completions", small), 429, null, "queue_full");
            assertEquals(1, health(fixture.base()).get("active_sequences").asInt());
        } // the streaming client goes away mid-stream
        HttpResponse<String> r = queued.join();
        assertEquals(200, r.statusCode(), r.body());
        await("the disconnected stream is cancelled", () -> metrics().contains("srr_cancelled_requests_total 1.0"));
        await("its sequence is released", () -> health(fixture.base()).get("active_sequences").asInt() == 0);
        String m = metrics();
        assertTrue(m.contains("srr_requests_total{endpoint=\"/v1/chat/completions\",status=\"429\"}"), m);
        assertTrue(m.contains("srr_batch_rows_bucket"), m);
        assertTrue(m.contains("srr_request_duration_seconds_bucket"), m);
    }

    @Test
    void rankScoresEqualSrrRank(@TempDir Path tmp) throws Exception {
        String list = Files.readAllLines(Path.of("demo/lists.jsonl")).getFirst();
        HttpResponse<String> r = post("/v1/rank", list);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode got = Json.parse(r.body(), "rank");
        Path data = tmp.resolve("one.jsonl");
        Files.writeString(data, list + "\n");
        CliRunner ref = CliRunner.run("rank", ServeFixture.MODEL.toString(), "--ranker", ServeFixture.RANKER.toString(), "--data",
                data.toString(), "--json", "--quiet");
        assertEquals(0, ref.exitCode(), ref.err());
        JsonNode expected = Json.parse(ref.out(), "srr rank");
        assertEquals(expected.get("order"), got.get("order"));
        for (int i = 0; i < expected.get("scores").size(); i++) {
            assertEquals(expected.get("scores").get(i).asDouble(), got.get("scores").get(i).asDouble(), 1e-9);
        }
    }

    @Test
    void aRequestLargerThanTheKvBudgetIsRefusedNamingMaxTokens() throws Exception {
        // the stand-in model keeps 2 x 4 layers x 64 floats = 2 KiB per position: 256 KiB hold 128 positions
        try (ServeFixture small = new ServeFixture(new ServeLimits(4, 4, BODY_LIMIT, 4000, 256 << 10, 64, 50), 1)) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(small.base() + "/v1/chat/completions"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                            + "\"max_tokens\":200}")).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode e = assertError(r, 400, "max_tokens", null);
            assertTrue(e.get("message").asText().contains("KV cache") && e.get("message").asText().contains("262144"), r.body());
            HttpResponse<String> fits = http.send(HttpRequest.newBuilder(URI.create(small.base() + "/v1/chat/completions"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                            + "\"max_tokens\":2,\"temperature\":0}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, fits.statusCode(), fits.body());
        }
    }

    @Test
    void shutdownDrainsTheRunningStreamAndRefusesNewWork() throws Exception {
        ServeFixture own = fixture;
        fixture = new ServeFixture(new ServeLimits(4, 4, BODY_LIMIT, 4000, 1L << 30, 64, 50), 1);
        try (Socket running = streamUntilFirstToken()) {
            String base = fixture.base();
            Thread stopper = Thread.ofVirtual().start(() -> fixture.server.shutdown(600_000));
            await("the server drains", () -> health(base).get("status").asText().equals("draining"));
            assertError(post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), 503, null, "shutting_down");
            BufferedReader in = new BufferedReader(new InputStreamReader(running.getInputStream(), StandardCharsets.UTF_8));
            String line;
            String lastData = null;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("data: ")) lastData = line;
                if ("data: [DONE]".equals(line)) break;
            }
            assertEquals("data: [DONE]", lastData, "the running stream finished");
            stopper.join();
        } finally {
            fixture.close();
            fixture = own;
        }
    }
}
