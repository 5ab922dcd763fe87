package dev.srr.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.srr.SrrException;
import dev.srr.io.Json;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Differential test against real Jinja2 configured like transformers' apply_chat_template: every real chat
 * template gathered in chat-templates/real-templates.json.gz over every conversation of conversations.json
 * (with and without the generation prompt), and every generated feature template of jinja2-generated.json,
 * must render byte for byte what Jinja2 rendered, or raise where Jinja2 raised. The expected outputs come from
 * scripts/render_jinja2.py write, never from srr. Prints a readable diff for the first failures and the count.
 */
class Jinja2ParityTest {
    private static final int SHOWN = 8;
    /** The time strftime_now sees, as scripts/render_jinja2.py fixes it (FIXED_NOW), so that the data does not age. */
    static final Clock FIXED_NOW = Clock.fixed(LocalDateTime.of(2024, 7, 26, 14, 5, 9).atZone(ZoneId.systemDefault())
            .toInstant(), ZoneId.systemDefault());

    @Test
    void realTemplatesRenderLikeJinja2() {
        JsonNode templates = resource("real-templates.json.gz").get("templates");
        JsonNode conversations = resource("conversations.json").get("conversations");
        JsonNode cases = resource("jinja2-real.json.gz").get("cases");
        Failures failures = new Failures();
        List<ChatTemplate> compiled = new ArrayList<>();
        List<RuntimeException> compileErrors = new ArrayList<>();
        for (JsonNode t : templates) {
            try {
                compiled.add(template(t.get("template").asText(), t.get("tokens")));
                compileErrors.add(null);
            } catch (RuntimeException e) {
                compiled.add(null);
                compileErrors.add(e);
            }
        }
        for (JsonNode c : cases) {
            int ti = c.get("template").asInt();
            JsonNode t = templates.get(ti);
            JsonNode conversation = conversations.get(c.get("conversation").asInt());
            boolean prompt = c.get("add_generation_prompt").asBoolean();
            String label = t.get("name").asText() + " (" + t.get("source").asText() + ") over \""
                    + conversation.get("name").asText() + "\"" + (prompt ? " with" : " without") + " generation prompt";
            ChatTemplate template = compiled.get(ti);
            failures.check(t.get("name").asText(), label, c, () -> {
                if (template == null) throw compileErrors.get(ti);
                return template.render(conversation.get("messages"), conversation.get("tools"), prompt, FIXED_NOW);
            });
        }
        failures.report(cases.size(), "real-template cases");
    }

    @Test
    void generatedTemplatesRenderLikeJinja2() {
        JsonNode data = resource("jinja2-generated.json");
        JsonNode context = data.get("context");
        Failures failures = new Failures();
        for (JsonNode c : data.get("cases")) {
            failures.check(c.get("name").asText(), c.get("name").asText() + ": " + c.get("template").asText(), c, () ->
                    template(c.get("template").asText(), data.get("tokens"))
                            .render(context.get("messages"), context.get("tools"), true, FIXED_NOW));
        }
        failures.report(data.get("cases").size(), "generated-template cases");
    }

    /** A template as ModelTokenizer builds it from a tokenizer_config.json holding these special tokens. */
    static ChatTemplate template(String source, JsonNode tokens) {
        ObjectNode config = Json.MAPPER.createObjectNode();
        config.put("chat_template", source);
        for (Map.Entry<String, JsonNode> e : tokens.properties()) config.set(e.getKey(), e.getValue());
        return ChatTemplate.fromConfig(config, Path.of("tokenizer_config.json"), tokens.path("bos_token").asText(null),
                tokens.path("eos_token").asText(null));
    }

    static JsonNode resource(String name) {
        String path = "/chat-templates/" + name;
        try (InputStream in = Jinja2ParityTest.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException("missing test resource " + path);
            return Json.MAPPER.readTree(name.endsWith(".gz") ? new GZIPInputStream(in) : in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Collects the cases where srr and Jinja2 disagree; shows the first failure of each template, up to SHOWN. */
    private static final class Failures {
        private final List<String> shown = new ArrayList<>();
        private final java.util.Set<String> shownTemplates = new java.util.HashSet<>();
        private String template;
        private int count;

        interface Rendering {
            String render();
        }

        void check(String template, String label, JsonNode expected, Rendering rendering) {
            this.template = template;
            String actual;
            try {
                actual = rendering.render();
            } catch (SrrException e) {
                if (!expected.has("error")) {
                    fail(label, "srr raised \"" + e.getMessage() + "\", Jinja2 rendered:\n  " + escape(expected.get("text").asText()));
                } else if (expected.path("raised").asBoolean() && !e.getMessage().contains(expected.get("error").asText())) {
                    fail(label, "raise_exception message lost: Jinja2 \"" + expected.get("error").asText() + "\", srr \""
                            + e.getMessage() + "\"");
                }
                return;
            } catch (RuntimeException e) {
                fail(label, "srr threw " + e + " (not an SrrException); Jinja2: "
                        + (expected.has("error") ? expected.get("error").asText() : escape(expected.get("text").asText())));
                return;
            }
            if (expected.has("error")) {
                fail(label, "Jinja2 raised \"" + expected.get("error").asText() + "\", srr rendered:\n  " + escape(actual));
            } else if (!expected.get("text").asText().equals(actual)) {
                fail(label, diff(expected.get("text").asText(), actual));
            }
        }

        private void fail(String label, String what) {
            count++;
            if (shown.size() < SHOWN && shownTemplates.add(template)) shown.add(label + "\n  " + what);
        }

        void report(int total, String what) {
            String summary = count + " of " + total + " " + what + " differ from Jinja2";
            System.out.println(summary);
            shown.forEach(s -> System.out.println("--- " + s));
            assertEquals(0, count, summary + "; first:\n" + String.join("\n", shown));
        }
    }

    /** Where two texts part, with some context on both sides, escaped so that white space shows. */
    static String diff(String expected, String actual) {
        int at = 0;
        while (at < expected.length() && at < actual.length() && expected.charAt(at) == actual.charAt(at)) at++;
        int from = Math.max(0, at - 40);
        return "first difference at char " + at + " (lengths " + expected.length() + " vs " + actual.length() + ")\n"
                + "  Jinja2: ..." + escape(expected.substring(from, Math.min(expected.length(), at + 60))) + "\n"
                + "  srr:    ..." + escape(actual.substring(from, Math.min(actual.length(), at + 60)));
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> sb.append(c);
            }
        }
        return sb.length() > 400 ? sb.substring(0, 400) + "..." : sb.toString();
    }
}
