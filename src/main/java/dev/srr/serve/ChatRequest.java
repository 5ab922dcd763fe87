package dev.srr.serve;

import dev.srr.engine.GenerationOptions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@code POST /v1/chat/completions} body, checked field by field with OpenAI's names and ranges. Fields this server
 * does not use (user, frequency_penalty, logit_bias, tools, ...) are ignored, as clients send them freely. SRR's own
 * fields live under one extension key, {@code "srr": {"k": 8, "candidates": true}}.
 *
 * @param messages      the conversation, every content reduced to a string (text parts joined)
 * @param maxTokens     max_completion_tokens, else max_tokens, else the server's cap
 * @param temperature   0 means greedy decoding; OpenAI's default 1
 * @param topP          (0, 1]
 * @param seed          the request's seed, or null for a fresh one
 * @param stop          up to 4 stop strings
 * @param n             choices to return: the n best-ranked distinct candidates
 * @param k             candidates to sample, or 0 for the server's default
 * @param candidates    whether the response's {@code srr} object lists every candidate
 */
public record ChatRequest(ArrayNode messages, int maxTokens, float temperature, float topP, Long seed, List<String> stop, int n,
                          boolean stream, boolean includeUsage, int k, boolean candidates) {

    /**
     * @throws ApiError 400 naming the first field that is missing, of the wrong type or out of range
     */
    public static ChatRequest parse(JsonNode body, int maxTokensCap) {
        if (!body.isObject()) throw ApiError.badField(null, "the request body must be a JSON object");
        ArrayNode messages = messages(body.get("messages"));
        int maxTokens = maxTokensCap;
        for (String f : new String[]{"max_tokens", "max_completion_tokens"}) {
            JsonNode v = body.get(f);
            if (v == null || v.isNull()) continue;
            maxTokens = integer(v, f, 1, maxTokensCap);
        }
        float temperature = number(body.get("temperature"), "temperature", 0, 2, 1f);
        float topP = number(body.get("top_p"), "top_p", 0, 1, 1f);
        if (body.has("top_p") && !(topP > 0)) throw ApiError.badField("top_p", "top_p must be greater than 0, got " + topP);
        Long seed = null;
        JsonNode s = body.get("seed");
        if (s != null && !s.isNull()) {
            if (!s.isIntegralNumber() || !s.canConvertToLong()) throw ApiError.badField("seed", "seed must be an integer");
            seed = s.asLong();
        }
        List<String> stop = stops(body.get("stop"));
        JsonNode nNode = body.get("n");
        int n = nNode == null || nNode.isNull() ? 1 : integer(nNode, "n", 1, 128);
        boolean stream = bool(body.get("stream"), "stream");
        boolean includeUsage = false;
        JsonNode so = body.get("stream_options");
        if (so != null && !so.isNull()) {
            if (!so.isObject()) throw ApiError.badField("stream_options", "stream_options must be an object");
            if (!stream) throw ApiError.badField("stream_options", "stream_options is only allowed when stream is true");
            includeUsage = bool(so.get("include_usage"), "stream_options.include_usage");
        }
        if (stream && n > 1) throw ApiError.badField("n", "streaming returns one choice: n must be 1 when stream is true");
        int k = 0;
        boolean candidates = false;
        JsonNode srr = body.get("srr");
        if (srr != null && !srr.isNull()) {
            if (!srr.isObject()) throw ApiError.badField("srr", "srr must be an object such as {\"k\": 8, \"candidates\": true}");
            for (var it = srr.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!f.equals("k") && !f.equals("candidates")) throw ApiError.badField("srr." + f, "unknown field srr." + f + " (known: k, candidates)");
            }
            JsonNode kNode = srr.get("k");
            if (kNode != null && !kNode.isNull()) k = integer(kNode, "srr.k", 1, GenerationOptions.MAX_CANDIDATES);
            candidates = bool(srr.get("candidates"), "srr.candidates");
        }
        return new ChatRequest(messages, maxTokens, temperature, topP, seed, stop, n, stream, includeUsage, k, candidates);
    }

    private static ArrayNode messages(JsonNode m) {
        if (m == null || m.isNull()) throw new ApiError(400, "invalid_request_error", "messages is required", "messages", "missing_field");
        if (!m.isArray() || m.isEmpty()) throw ApiError.badField("messages", "messages must be a non-empty array of {role, content}");
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < m.size(); i++) {
            String at = "messages." + i;
            JsonNode msg = m.get(i);
            if (!msg.isObject()) throw ApiError.badField(at, at + " must be an object with role and content");
            JsonNode role = msg.get("role");
            if (role == null || !role.isTextual()) throw ApiError.badField(at + ".role", at + ".role must be a string");
            ObjectNode clean = JsonNodeFactory.instance.objectNode();
            clean.put("role", role.asText());
            clean.put("content", content(msg.get("content"), at + ".content"));
            out.add(clean);
        }
        return out;
    }

    /** A string, or an array of parts of which the text ones are joined; null content (tool calls) is empty. */
    private static String content(JsonNode c, String at) {
        if (c == null || c.isNull()) return "";
        if (c.isTextual()) return c.asText();
        if (c.isArray()) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < c.size(); i++) {
                JsonNode part = c.get(i);
                String type = part.path("type").asText("");
                if (!type.equals("text") || !part.path("text").isTextual()) {
                    throw ApiError.badField(at + "." + i, at + "." + i + " must be a text part {\"type\": \"text\", \"text\": ...}; this model reads text only");
                }
                sb.append(part.get("text").asText());
            }
            return sb.toString();
        }
        throw ApiError.badField(at, at + " must be a string or an array of text parts");
    }

    private static List<String> stops(JsonNode s) {
        List<String> out = new ArrayList<>();
        if (s == null || s.isNull()) return out;
        if (s.isTextual()) out.add(s.asText());
        else if (s.isArray()) {
            for (int i = 0; i < s.size(); i++) {
                if (!s.get(i).isTextual()) throw ApiError.badField("stop." + i, "stop." + i + " must be a string");
                out.add(s.get(i).asText());
            }
        } else {
            throw ApiError.badField("stop", "stop must be a string or an array of up to 4 strings");
        }
        if (out.size() > 4) throw ApiError.badField("stop", "stop holds at most 4 strings, got " + out.size());
        for (String x : out) if (x.isEmpty()) throw ApiError.badField("stop", "a stop string must not be empty");
        return out;
    }

    static int integer(JsonNode v, String field, int min, int max) {
        if (!v.isIntegralNumber() || !v.canConvertToInt()) throw ApiError.badField(field, field + " must be an integer");
        int x = v.asInt();
        if (x < min || x > max) throw ApiError.badField(field, field + " must be in " + min + ".." + max + ", got " + x);
        return x;
    }

    private static float number(JsonNode v, String field, double min, double max, float absent) {
        if (v == null || v.isNull()) return absent;
        if (!v.isNumber()) throw ApiError.badField(field, field + " must be a number");
        double x = v.asDouble();
        if (!(x >= min && x <= max)) throw ApiError.badField(field, field + " must be in [" + min + ", " + max + "], got " + x);
        return (float) x;
    }

    static boolean bool(JsonNode v, String field) {
        if (v == null || v.isNull()) return false;
        if (!v.isBoolean()) throw ApiError.badField(field, field + " must be true or false");
        return v.asBoolean();
    }
}
