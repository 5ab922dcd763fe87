package dev.srr.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.srr.SrrException;
import dev.srr.tokenizer.jinja.Template;
import dev.srr.tokenizer.jinja.TemplateException;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A chat template from tokenizer_config.json, rendered exactly as transformers' apply_chat_template renders
 * it (checked against Jinja2 by Jinja2ParityTest). The template language is interpreted by
 * {@link Template}; this class supplies what transformers supplies: the special tokens, the messages (without
 * their None-valued keys, with reasoning_content/thinking aliases), tools, documents and
 * add_generation_prompt.
 */
final class ChatTemplate {
    /** Seconds one render may take (default 10): a template is outside input and may loop for hours. */
    static final String DEADLINE_PROPERTY = "srr.chatTemplate.seconds";
    /** The special tokens transformers passes to a template when they are set. */
    private static final List<String> SPECIAL_TOKENS = List.of("bos_token", "eos_token", "unk_token", "sep_token",
            "pad_token", "cls_token", "mask_token");
    /** Names a message's reasoning goes by; transformers fills reasoning_content and thinking from any of them. */
    private static final List<String> REASONING_FIELDS = List.of("reasoning_content", "thinking", "reasoning");

    private final String where;
    private final Map<String, Object> specialTokens;
    private final Template template;
    /** Why the template does not parse; raised when it is rendered, so a tokenizer still loads without it. */
    private final TemplateException syntaxError;

    private ChatTemplate(String source, String where, Map<String, Object> specialTokens) {
        this.where = where;
        this.specialTokens = specialTokens;
        Template parsed = null;
        TemplateException error = null;
        try {
            parsed = Template.parse(source);
        } catch (TemplateException e) {
            error = e;
        }
        this.template = parsed;
        this.syntaxError = error;
    }

    /**
     * The template named "default" (or the only one) from tokenizer_config.json's chat_template, which is a
     * string or a list of {"name", "template"}; null when there is none.
     */
    static ChatTemplate fromConfig(JsonNode config, Path file, String bos, String eos) {
        JsonNode t = config.get("chat_template");
        if (t == null || t.isNull()) return null;
        String template;
        if (t.isTextual()) {
            template = t.asText();
        } else if (t.isArray()) {
            template = null;
            for (JsonNode entry : t) {
                if (!entry.path("name").isTextual() || !entry.path("template").isTextual()) {
                    throw new SrrException(file + ": chat_template entries must have \"name\" and \"template\"");
                }
                if (entry.get("name").asText().equals("default") || t.size() == 1) template = entry.get("template").asText();
            }
            if (template == null) throw new SrrException(file + ": chat_template has no template named \"default\"");
        } else {
            throw new SrrException(file + ": chat_template must be a string or a list of {name, template}");
        }
        Map<String, Object> specials = new HashMap<>();
        for (String name : SPECIAL_TOKENS) {
            JsonNode v = config.get(name);
            if (v != null && v.isTextual()) specials.put(name, v.asText());
            else if (v != null && v.path("content").isTextual()) specials.put(name, v.get("content").asText());
        }
        // The caller has already read bos_token and eos_token (and refused malformed ones).
        specials.remove("bos_token");
        specials.remove("eos_token");
        if (bos != null) specials.put("bos_token", bos);
        if (eos != null) specials.put("eos_token", eos);
        return new ChatTemplate(template, file.toString(), specials);
    }

    String render(JsonNode messages, boolean addGenerationPrompt) {
        return render(messages, null, addGenerationPrompt, Clock.systemDefaultZone());
    }

    String render(JsonNode messages, JsonNode tools, boolean addGenerationPrompt) {
        return render(messages, tools, addGenerationPrompt, Clock.systemDefaultZone());
    }

    /** Renders a conversation (and apply_chat_template's tools argument, or null); strftime_now reads the clock. */
    String render(JsonNode messages, JsonNode tools, boolean addGenerationPrompt, Clock clock) {
        if (messages == null || !messages.isArray()) throw new SrrException("messages must be a JSON array of {role, content}");
        if (syntaxError != null) throw new SrrException(where + ": chat_template " + describe(syntaxError));
        Map<String, Object> context = new HashMap<>(specialTokens);
        context.put("messages", prepareMessages(messages));
        context.put("tools", tools == null || tools.isNull() ? null : toJava(tools));
        context.put("documents", null);
        context.put("add_generation_prompt", addGenerationPrompt);
        try {
            return template.render(context, clock, Long.getLong(DEADLINE_PROPERTY, 10));
        } catch (TemplateException e) {
            throw new SrrException(where + ": chat_template " + describe(e));
        }
    }

    private static String describe(TemplateException e) {
        String line = e.line() > 0 ? " at line " + e.line() : "";
        return switch (e.kind()) {
            case SYNTAX -> "has a syntax error" + line + ": " + e.getMessage();
            case RAISED -> "raised: " + e.getMessage();
            case RUNTIME -> "failed: " + e.getMessage();
        };
    }

    /**
     * The messages as transformers hands them to the template: keys whose value is null are dropped, and a
     * message with reasoning under any of its names gets it as both thinking and reasoning_content.
     */
    private static List<Object> prepareMessages(JsonNode messages) {
        List<Object> out = new ArrayList<>(messages.size());
        for (JsonNode m : messages) {
            // transformers refuses such a conversation before rendering it.
            if (!m.isObject()) throw new SrrException("messages must be JSON objects, got " + m.getNodeType().name().toLowerCase() + " " + m);
            Map<Object, Object> message = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isNull()) message.put(e.getKey(), toJava(e.getValue()));
            }
            Object reasoning = null;
            for (String field : REASONING_FIELDS) {
                if (message.get(field) != null) {
                    reasoning = message.get(field);
                    break;
                }
            }
            if (reasoning != null) {
                Map<Object, Object> aliased = new LinkedHashMap<>();
                aliased.put("thinking", reasoning);
                aliased.putAll(message);
                aliased.put("reasoning_content", reasoning);
                message = aliased;
            }
            out.add(message);
        }
        return out;
    }

    /** JSON to the template's values: strings, booleans, Long or BigInteger, Double, lists and ordered maps. */
    static Object toJava(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) return null;
        if (n.isTextual()) return n.asText();
        if (n.isBoolean()) return n.asBoolean();
        if (n.isIntegralNumber()) return n.canConvertToLong() ? (Object) n.asLong() : n.bigIntegerValue();
        if (n.isNumber()) return n.asDouble();
        if (n.isArray()) {
            List<Object> list = new ArrayList<>(n.size());
            n.forEach(x -> list.add(toJava(x)));
            return list;
        }
        Map<Object, Object> map = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            map.put(e.getKey(), toJava(e.getValue()));
        }
        return map;
    }
}
