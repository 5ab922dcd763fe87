package dev.srr.tokenizer.jinja;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A chat template in the Jinja2 template language, parsed once and rendered as transformers renders it:
 * Jinja2's ImmutableSandboxedEnvironment with trim_blocks, lstrip_blocks and loop controls, Python's values
 * and printing (None, True, 1e-05, {'a': 1}), tojson as json.dumps, raise_exception and strftime_now.
 * Only what chat templates can use is here: there is no loader, so include, import and extends fail.
 */
public final class Template {
    private final List<Stmt> body;

    private Template(List<Stmt> body) {
        this.body = body;
    }

    /** Parses a template; a syntax error, an unknown tag, filter or test, or nesting deeper than the
     * parser's stack, is a TemplateException of kind SYNTAX. */
    public static Template parse(String source) {
        try {
            return new Template(Parser.parse(source));
        } catch (StackOverflowError e) {
            // Python's own recursion limit stops Jinja2's recursive-descent parser at a similar depth.
            throw TemplateException.syntax(0, "the template nests too deeply to parse");
        }
    }

    /**
     * Renders with these variables, which must be plain values: String, Boolean, Long, BigInteger, Double,
     * null, List and Map (insertion-ordered) of them. The clock is what strftime_now reads. A render that runs
     * longer than {@code seconds}, or builds more than {@link Limits} allows, fails with a TemplateException.
     */
    public String render(Map<String, Object> variables, Clock clock, long seconds) {
        Map<String, Object> globals = new HashMap<>(Globals.create(clock));
        globals.putAll(variables);
        try {
            return new Renderer(globals, seconds).render(body);
        } catch (StackOverflowError e) {
            throw TemplateException.runtime("maximum recursion depth exceeded");
        }
    }
}
