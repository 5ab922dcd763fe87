package dev.srr.tokenizer.jinja;

/**
 * A template that cannot be parsed, raised (raise_exception), or failed while rendering, as Jinja2 would fail
 * on it. The message reads like Jinja2's; the caller adds which file the template came from.
 */
public final class TemplateException extends RuntimeException {
    /** What went wrong, in Jinja2's terms. */
    public enum Kind {
        /** The template does not parse (TemplateSyntaxError, TemplateAssertionError). */
        SYNTAX,
        /** The template called raise_exception(message). */
        RAISED,
        /** Rendering failed: an undefined value used, a type error, a security error. */
        RUNTIME
    }

    private final Kind kind;
    private final int line;

    TemplateException(Kind kind, int line, String message) {
        super(message);
        this.kind = kind;
        this.line = line;
    }

    static TemplateException syntax(int line, String message) {
        return new TemplateException(Kind.SYNTAX, line, message);
    }

    static TemplateException runtime(String message) {
        return new TemplateException(Kind.RUNTIME, 0, message);
    }

    /** Which of the three failures this is. */
    public Kind kind() {
        return kind;
    }

    /** The template line the failure was found on, or 0 when unknown. */
    public int line() {
        return line;
    }
}
