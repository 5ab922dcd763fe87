package dev.srr.serve;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request the server refuses, with what OpenAI's error envelope carries: the HTTP status, {@code type}
 * ({@code invalid_request_error}, {@code rate_limit_error}, {@code server_error}), the offending request field
 * ({@code param}, a dotted path such as {@code messages.0.content}, or null) and a machine-readable {@code code}.
 */
public final class ApiError extends RuntimeException {
    private final int status;
    private final String type;
    private final String param;
    private final String code;

    public ApiError(int status, String type, String message, String param, String code) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
    }

    /** 400: a field is missing, of the wrong type or out of range; {@code param} names it. */
    public static ApiError badField(String param, String message) {
        return new ApiError(400, "invalid_request_error", message, param, "invalid_value");
    }

    public static ApiError notFound(String message) {
        return new ApiError(404, "invalid_request_error", message, null, "not_found");
    }

    public int status() {
        return status;
    }

    /** {@code {"error": {"message", "type", "param", "code"}}} as OpenAI sends it. */
    public Map<String, Object> envelope() {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", getMessage());
        error.put("type", type);
        error.put("param", param);
        error.put("code", code);
        return Map.of("error", error);
    }
}
