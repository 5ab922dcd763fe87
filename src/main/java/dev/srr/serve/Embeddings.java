package dev.srr.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import dev.srr.engine.CaptureRequest;
import dev.srr.engine.Pooling;
import dev.srr.engine.SequenceOutput;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/embeddings}: the model's own hidden states as embeddings. {@code input} is a string or an array of
 * up to 256 strings, each encoded with the tokenizer's special tokens; the extension object
 * {@code "srr": {"layer": L, "pooling": "last"|"mean"}} picks {@code hidden_states[L]} (0 = embeddings, numLayers = after
 * the final norm; default numLayers, or the ranker's layer when the server has one) and the pooling over the tokens
 * (default mean). {@code encoding_format} "float" gives a JSON array, "base64" the little-endian float32 bytes in base64
 * (what OpenAI's SDKs ask for by default).
 */
final class Embeddings {
    static final int MAX_INPUTS = 256;
    private final ServedModel served;
    private final Scheduler scheduler;

    Embeddings(ServedModel served, Scheduler scheduler) {
        this.served = served;
        this.scheduler = scheduler;
    }

    String handle(HttpExchange ex, byte[] body) throws IOException {
        JsonNode req = SrrServer.parseJson(body);
        if (!req.isObject()) throw ApiError.badField(null, "the request body must be a JSON object");
        JsonNode input = req.get("input");
        List<String> texts = new ArrayList<>();
        if (input == null || input.isNull()) throw new ApiError(400, "invalid_request_error", "input is required", "input", "missing_field");
        if (input.isTextual()) texts.add(input.asText());
        else if (input.isArray() && !input.isEmpty() && input.size() <= MAX_INPUTS) {
            for (int i = 0; i < input.size(); i++) {
                if (!input.get(i).isTextual()) throw ApiError.badField("input." + i, "input." + i + " must be a string");
                texts.add(input.get(i).asText());
            }
        } else {
            throw ApiError.badField("input", "input must be a string or an array of 1.." + MAX_INPUTS + " strings");
        }
        JsonNode format = req.get("encoding_format");
        boolean base64 = false;
        if (format != null && !format.isNull()) {
            if (!format.isTextual() || !(format.asText().equals("float") || format.asText().equals("base64"))) {
                throw ApiError.badField("encoding_format", "encoding_format must be \"float\" or \"base64\"");
            }
            base64 = format.asText().equals("base64");
        }
        int layers = served.model().config().numLayers();
        int layer = served.ranks() ? served.responder().spec().layer() : layers;
        Pooling pooling = Pooling.MEAN;
        JsonNode srr = req.get("srr");
        if (srr != null && !srr.isNull()) {
            if (!srr.isObject()) throw ApiError.badField("srr", "srr must be an object such as {\"layer\": 8, \"pooling\": \"mean\"}");
            for (var it = srr.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!f.equals("layer") && !f.equals("pooling")) throw ApiError.badField("srr." + f, "unknown field srr." + f + " (known: layer, pooling)");
            }
            if (srr.hasNonNull("layer")) layer = ChatRequest.integer(srr.get("layer"), "srr.layer", 0, layers);
            if (srr.hasNonNull("pooling")) {
                String p = srr.get("pooling").asText();
                if (!srr.get("pooling").isTextual() || !(p.equals("last") || p.equals("mean"))) {
                    throw ApiError.badField("srr.pooling", "srr.pooling must be \"last\" or \"mean\"");
                }
                pooling = p.equals("last") ? Pooling.LAST : Pooling.MEAN;
            }
        }
        int context = served.model().config().maxPositions();
        List<int[]> ids = new ArrayList<>();
        int tokens = 0;
        for (int i = 0; i < texts.size(); i++) {
            int[] t = served.tokenizer().encode(texts.get(i), true);
            if (t.length == 0) throw ApiError.badField("input." + i, "input." + i + " encodes to no tokens");
            if (t.length > context) {
                throw new ApiError(400, "invalid_request_error", "input." + i + " has " + t.length + " tokens, more than the model's context of "
                        + context, "input." + i, "context_length_exceeded");
            }
            ids.add(t);
            tokens += t.length;
        }
        int l = layer;
        Pooling p = pooling;
        List<SequenceOutput> outs = SrrServer.await(scheduler.call(() -> served.model().forward().run(ids, CaptureRequest.of(new int[]{l}, p))));
        List<Object> data = new ArrayList<>();
        for (int i = 0; i < outs.size(); i++) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("object", "embedding");
            e.put("index", i);
            float[] v = outs.get(i).hidden(l, p);
            e.put("embedding", base64 ? base64(v) : v);
            data.add(e);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("object", "list");
        doc.put("data", data);
        doc.put("model", served.id());
        doc.put("usage", Map.of("prompt_tokens", tokens, "total_tokens", tokens));
        doc.put("srr", Map.of("layer", l, "pooling", p.label()));
        HttpIo.json(ex, 200, doc);
        return "inputs=" + texts.size() + " tokens=" + tokens;
    }

    private static String base64(float[] v) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(v.length * Float.BYTES).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putFloat(f);
        return java.util.Base64.getEncoder().encodeToString(b.array());
    }
}
