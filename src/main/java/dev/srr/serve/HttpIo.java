package dev.srr.serve;

import com.sun.net.httpserver.HttpExchange;
import dev.srr.io.Json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Reading bounded request bodies and writing JSON and server-sent events over the JDK's HTTP server. */
final class HttpIo {
    private HttpIo() {
    }

    /**
     * The whole body, refused with 413 past {@code limit} bytes: at once when Content-Length says so, else as soon as the
     * bytes read pass it (chunked bodies).
     */
    static byte[] body(HttpExchange ex, long limit) throws IOException {
        String declared = ex.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            long n;
            try {
                n = Long.parseLong(declared.strip());
            } catch (NumberFormatException e) {
                throw ApiError.badField(null, "Content-Length is not a number: " + declared);
            }
            if (n > limit) throw tooLarge(limit);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try (InputStream in = ex.getRequestBody()) {
            int r;
            while ((r = in.read(buf)) >= 0) {
                out.write(buf, 0, r);
                if (out.size() > limit) throw tooLarge(limit);
            }
        }
        return out.toByteArray();
    }

    private static ApiError tooLarge(long limit) {
        return new ApiError(413, "invalid_request_error", "the request body is larger than the server's limit of " + limit + " bytes",
                null, "request_too_large");
    }

    static void json(HttpExchange ex, int status, Object doc) throws IOException {
        byte[] bytes = Json.write(doc).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        send(ex, status, bytes);
    }

    static void send(HttpExchange ex, int status, byte[] bytes) throws IOException {
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Starts an event stream: 200, chunked, no caching. */
    static OutputStream events(HttpExchange ex) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "text/event-stream");
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        ex.sendResponseHeaders(200, 0);
        return ex.getResponseBody();
    }

    /** One {@code data:} event; throws when the client has gone. */
    static void event(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** An SSE comment, which clients ignore: keeps proxies from timing the stream out and finds a vanished client. */
    static void comment(OutputStream out, String text) throws IOException {
        out.write((": " + text + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
