package dev.srr.tokenizer.jinja;

/**
 * What one render may build and spend. A chat template comes from the model's files, so it is outside input: a
 * template that doubles a list or a string in a loop, or nests loops for hours, must end in an error instead of
 * exhausting the heap or hanging. The bounds are far above any chat prompt (Jinja2 itself bounds only range()).
 */
final class Limits {
    /** Elements a list, tuple or dict built while rendering may hold. */
    static final long MAX_ITEMS = 1 << 20;
    /** Characters a string built while rendering, and the rendered text, may hold. */
    static final long MAX_CHARS = 64L << 20;
    /** Bits an integer built while rendering may hold. */
    static final long MAX_INT_BITS = 1 << 16;

    private Limits() {
    }

    static void items(long n) {
        if (n > MAX_ITEMS) throw TemplateException.runtime("a list of " + n + " items is beyond srr's limit of " + MAX_ITEMS);
    }

    static void chars(long n) {
        if (n > MAX_CHARS) throw TemplateException.runtime("a string of " + n + " characters is beyond srr's limit of " + MAX_CHARS);
    }

    static void intBits(long n) {
        if (n > MAX_INT_BITS) throw TemplateException.runtime("an integer of " + n + " bits is beyond srr's limit of " + MAX_INT_BITS);
    }
}
