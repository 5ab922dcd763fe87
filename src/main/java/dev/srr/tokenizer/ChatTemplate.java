package dev.srr.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import dev.srr.SrrException;
import jinjava.javax.el.CompositeELResolver;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A chat template from tokenizer_config.json, rendered like transformers' apply_chat_template: Jinja2 with
 * trim_blocks and lstrip_blocks, loop controls, raise_exception, tojson, strftime_now and Python str methods.
 * Jinjava does the rendering; this class fills in what Hugging Face templates need from Jinja2/Python.
 */
final class ChatTemplate {

    /** Elements a list or map built while rendering may hold. */
    private static final int MAX_COLLECTION = 1 << 20;
    /** Characters a string built while rendering, and the rendered prompt, may hold. */
    private static final long MAX_TEXT = 64L << 20;

    private final String source;
    private final String where;
    private final Map<String, Object> specialTokens;
    private final Jinjava jinjava;

    private ChatTemplate(String template, String where, Map<String, Object> specialTokens) {
        // Jinja2 drops one trailing newline of a template (keep_trailing_newline=False).
        if (template.endsWith("\n")) template = template.substring(0, template.length() - 1);
        this.source = JinjaCompat.rewrite(template);
        this.where = where;
        this.specialTokens = specialTokens;
        CompositeELResolver resolver = new CompositeELResolver();
        resolver.add(new PythonMethodResolver());
        resolver.add(com.hubspot.jinjava.el.JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_WRITE);
        // Jinja2 semantics where Jinjava keeps older behaviour by default: whitespace control on {{- and {#-,
        // Python operator precedence, dict keys as expressions, iterating a dict gives its keys.
        LegacyOverrides jinja2 = LegacyOverrides.newBuilder()
                .withUseTrimmingForNotesAndExpressions(true)
                .withUseNaturalOperatorPrecedence(true)
                .withParseWhitespaceControlStrictly(true)
                .withHandleBackslashInQuotesOnly(true)
                .withKeepNullableLoopValues(true)
                .withUsePyishObjectMapper(true)
                .withEvaluateMapKeys(true)
                .withIterateOverMapKeys(true)
                .build();
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withLegacyOverrides(jinja2)
                .withTrimBlocks(true)
                .withLstripBlocks(true)
                .withElResolver(resolver)
                .withFailOnUnknownTokens(false)
                // Jinja2 never renders the text of a message again: "{{ ... }}" inside content is literal
                .withNestedInterpretationEnabled(false)
                // Bounds on what one render may build, far above any chat prompt: a template (from the input file)
                // that doubles a list or a string in a loop gets an error instead of exhausting the heap.
                .withMaxListSize(MAX_COLLECTION)
                .withMaxMapSize(MAX_COLLECTION)
                .withMaxStringLength(MAX_TEXT)
                .withMaxOutputSize(MAX_TEXT)
                .withNodePreProcessor(new RenderDeadline())
                .build();
        jinjava = new Jinjava(config);
        try {
            jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition("", "raise_exception",
                    JinjaFunctions.class.getDeclaredMethod("raiseException", String.class)));
            jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition("", "strftime_now",
                    JinjaFunctions.class.getDeclaredMethod("strftimeNow", String.class)));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
        jinjava.getGlobalContext().registerFilter(new ToJsonFilter());
        jinjava.getGlobalContext().registerFilter(new TrimFilter());
        jinjava.getGlobalContext().registerFilter(new PrintFilter());
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
        specials.put("bos_token", bos);
        specials.put("eos_token", eos);
        for (String name : List.of("unk_token", "pad_token")) {
            JsonNode v = config.get(name);
            if (v != null && v.isTextual()) specials.put(name, v.asText());
            else if (v != null && v.path("content").isTextual()) specials.put(name, v.get("content").asText());
        }
        return new ChatTemplate(template, file.toString(), specials);
    }

    String render(JsonNode messages, boolean addGenerationPrompt) {
        if (messages == null || !messages.isArray()) throw new SrrException("messages must be a JSON array of {role, content}");
        Map<String, Object> context = new HashMap<>(specialTokens);
        context.put("messages", toJava(messages));
        context.put("add_generation_prompt", addGenerationPrompt);
        context.put("tools", null);
        context.put("documents", null);
        JinjaFunctions.takeRaised();
        RenderResult result = null;
        RuntimeException failure = null;
        RenderDeadline.start();
        try {
            result = jinjava.renderForResult(source, context);
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            if (RenderDeadline.stop()) throw new SrrException(where + ": " + new RenderDeadline.Expired().getMessage());
        }
        if (failure != null) throw new SrrException(where + ": chat template failed: " + messageOf(failure));
        String raised = JinjaFunctions.takeRaised();
        if (raised != null) throw new SrrException(where + ": chat template raised: " + raised);
        for (TemplateError error : result.getErrors()) {
            if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw new SrrException(where + ": chat template error at line " + error.getLineno() + ": "
                        + error.getMessage());
            }
        }
        return result.getOutput();
    }

    private static String messageOf(Throwable e) {
        while (e.getCause() != null && e.getCause() != e) e = e.getCause();
        return e.getMessage();
    }

    /** JSON to the maps, lists and scalars Jinjava works with (object key order kept). */
    static Object toJava(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) return null;
        if (n.isTextual()) return n.asText();
        if (n.isBoolean()) return n.asBoolean();
        if (n.isIntegralNumber()) return n.asLong();
        if (n.isNumber()) return n.asDouble();
        if (n.isArray()) {
            List<Object> list = new ArrayList<>(n.size());
            n.forEach(x -> list.add(toJava(x)));
            return list;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            map.put(e.getKey(), toJava(e.getValue()));
        }
        return map;
    }

    /** tojson with Python's json.dumps layout (transformers overrides Jinja2's own tojson the same way). */
    private static final class ToJsonFilter implements Filter {
        @Override
        public String getName() {
            return "tojson";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return filter(var, interpreter, args, Map.of());
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            Object indent = kwargs.get("indent");
            if (indent == null && args.length > 0) indent = args[0];
            return PythonJson.dumps(var, indent == null ? null : Integer.valueOf(indent.toString()));
        }
    }

    /** trim strips Python white space (Jinjava's trim only strips ASCII control characters and space). */
    private static final class TrimFilter implements Filter {
        @Override
        public String getName() {
            return "trim";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            if (var == null) return "";
            return PythonStrings.strip(var.toString(), args.length > 0 ? args[0] : null, true, true);
        }
    }

    /** What {{ ... }} prints: Python's str() for booleans (True/False); anything else as Jinjava prints it. */
    private static final class PrintFilter implements Filter {
        @Override
        public String getName() {
            return JinjaCompat.PRINT_FILTER;
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            if (var instanceof Boolean b) return b ? "True" : "False";
            return var;
        }
    }
}
