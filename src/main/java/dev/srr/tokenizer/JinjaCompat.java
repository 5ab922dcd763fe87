package dev.srr.tokenizer;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites Jinja2 syntax that Jinjava parses differently into equivalent syntax it parses the Jinja2 way.
 * Only the inside of {{ }} and {% %} tags changes; the rewrites never change what Jinja2 would compute.
 */
final class JinjaCompat {
    /** {@code x[::-1]} (reversal), which Jinjava's parser lacks, becomes {@code (x|reverse|list)}. */
    private static final Pattern REVERSED_SLICE =
            Pattern.compile("([A-Za-z_][\\w.]*(?:\\[[^\\[\\]]*\\])*)\\[::-1\\]");

    /** The filter every printed expression goes through (see ChatTemplate.PrintFilter). */
    static final String PRINT_FILTER = "srr_python_print";

    private JinjaCompat() {
    }

    /** A comment, with its whitespace-control dashes. */
    private static final Pattern COMMENT = Pattern.compile("\\{#(-?)(.*?)(-?)#\\}", Pattern.DOTALL);

    static String rewrite(String template) {
        // Jinjava ignores "-" on comments; an empty if-block trims whitespace exactly as the comment would.
        template = COMMENT.matcher(template).replaceAll(m -> Matcher.quoteReplacement(
                "{%" + m.group(1) + " if false %}{% endif " + m.group(3) + "%}"));
        StringBuilder out = new StringBuilder(template.length() + 64);
        int i = 0;
        while (i < template.length()) {
            int open = nextTag(template, i);
            if (open < 0) {
                out.append(template, i, template.length());
                break;
            }
            out.append(template, i, open + 2);
            String close = template.charAt(open + 1) == '{' ? "}}" : "%}";
            int end = tagEnd(template, open + 2, close);
            if (end < 0) {
                out.append(template, open + 2, template.length());
                break;
            }
            String inside = rewriteExpression(template.substring(open + 2, end));
            out.append(close.equals("}}") ? printedThroughFilter(inside) : inside);
            i = end;
        }
        return out.toString();
    }

    private static int nextTag(String s, int from) {
        int a = s.indexOf("{{", from);
        int b = s.indexOf("{%", from);
        if (a < 0) return b;
        if (b < 0) return a;
        return Math.min(a, b);
    }

    /** Where the tag closes, skipping string literals and dict literals (which may end in "}}"). */
    private static int tagEnd(String s, int from, String close) {
        char quote = 0;
        int braces = 0;
        for (int i = from; i < s.length() - 1; i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == '\\') i++;
                else if (c == quote) quote = 0;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (braces == 0 && s.startsWith(close, i)) {
                return i;
            } else if (c == '{') {
                braces++;
            } else if (c == '}') {
                braces--;
            }
        }
        return -1;
    }

    /** {{ x }} becomes {{ (x)|filter }} so booleans print as Python prints them; "-" markers stay outside. */
    private static String printedThroughFilter(String inside) {
        String body = inside;
        String lead = "";
        String trail = "";
        if (body.startsWith("-") || body.startsWith("+")) {
            lead = body.substring(0, 1);
            body = body.substring(1);
        }
        if (body.endsWith("-")) {
            trail = "-";
            body = body.substring(0, body.length() - 1);
        }
        if (body.isBlank()) return inside;
        return lead + " (" + body + ")|" + PRINT_FILTER + " " + trail;
    }

    private static String rewriteExpression(String expr) {
        expr = separateClosingBraces(parenthesizeKeywordArguments(expr));
        return REVERSED_SLICE.matcher(expr).replaceAll(m -> Matcher.quoteReplacement("(" + m.group(1) + "|reverse|list)"));
    }

    /** Jinjava would end the tag at the "}}" of a nested dict literal; "} }" means the same. */
    private static String separateClosingBraces(String expr) {
        if (!expr.contains("}}")) return expr;
        StringBuilder out = new StringBuilder(expr.length() + 4);
        char quote = 0;
        for (int i = 0; i < expr.length(); i++) {
            char c = expr.charAt(i);
            out.append(c);
            if (quote != 0) {
                if (c == '\\' && i + 1 < expr.length()) out.append(expr.charAt(++i));
                else if (c == quote) quote = 0;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '}' && i + 1 < expr.length() && expr.charAt(i + 1) == '}') {
                out.append(' ');
            }
        }
        return out.toString();
    }

    /**
     * In Jinjava {@code f(a=x|length - 1)} applies the filter to the named parameter, not to x; Jinja2 binds
     * the whole {@code x|length - 1} to a. Wrapping each keyword argument's value in parentheses gives
     * Jinja2's reading in both engines.
     */
    static String parenthesizeKeywordArguments(String expr) {
        StringBuilder out = new StringBuilder(expr.length() + 8);
        int depth = 0;
        char quote = 0;
        for (int i = 0; i < expr.length(); i++) {
            char c = expr.charAt(i);
            if (quote != 0) {
                out.append(c);
                if (c == '\\' && i + 1 < expr.length()) out.append(expr.charAt(++i));
                else if (c == quote) quote = 0;
                continue;
            }
            if (c == '\'' || c == '"') {
                quote = c;
                out.append(c);
                continue;
            }
            if (c == '(' || c == '[' || c == '{') depth++;
            if (c == ')' || c == ']' || c == '}') depth--;
            boolean keyword = c == '=' && depth > 0 && i + 1 < expr.length() && expr.charAt(i + 1) != '='
                    && i > 0 && "=!<>".indexOf(expr.charAt(i - 1)) < 0 && precededByIdentifier(expr, i);
            if (!keyword) {
                out.append(c);
                continue;
            }
            int end = argumentEnd(expr, i + 1);
            out.append("=(").append(expr, i + 1, end).append(')');
            i = end - 1;
        }
        return out.toString();
    }

    private static boolean precededByIdentifier(String s, int i) {
        int j = i - 1;
        while (j >= 0 && s.charAt(j) == ' ') j--;
        return j >= 0 && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_');
    }

    /** The end of a keyword argument's value: the next ',' or closing bracket at its own depth. */
    private static int argumentEnd(String s, int from) {
        int depth = 0;
        char quote = 0;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == '\\') i++;
                else if (c == quote) quote = 0;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                if (depth == 0) return i;
                depth--;
            } else if (c == ',' && depth == 0) {
                return i;
            }
        }
        return s.length();
    }
}
