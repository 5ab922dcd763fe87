package dev.srr.tokenizer.jinja;

/**
 * Jinja2's Undefined: what a missing variable, key or attribute evaluates to. It prints as nothing, is false
 * and iterates as empty, but any other use raises, with a message saying what was missing. An unsafe
 * attribute (the sandbox's unsafe_undefined) is an Undefined whose use raises a security error instead.
 */
record Undefined(String hint) {
    static Undefined name(String name) {
        return new Undefined("'" + name + "' is undefined");
    }

    TemplateException error() {
        return TemplateException.runtime(hint);
    }
}
