package dev.srr.tokenizer.jinja;

/** One lexer token: its kind, its text (a string literal's decoded value) and the line it starts on. */
record Token(Kind kind, String text, Object value, int line) {
    enum Kind { DATA, VARIABLE_BEGIN, VARIABLE_END, BLOCK_BEGIN, BLOCK_END, NAME, STRING, INTEGER, FLOAT, OPERATOR, EOF }

    boolean is(Kind k, String t) {
        return kind == k && text.equals(t);
    }

    boolean isName(String name) {
        return is(Kind.NAME, name);
    }

    boolean isOperator(String op) {
        return is(Kind.OPERATOR, op);
    }

    String describe() {
        return switch (kind) {
            case EOF -> "end of template";
            case BLOCK_END -> "end of statement block";
            case VARIABLE_END -> "end of print statement";
            case STRING -> "string";
            default -> "'" + text + "'";
        };
    }
}
