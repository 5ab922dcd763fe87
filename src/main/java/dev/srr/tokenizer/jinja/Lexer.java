package dev.srr.tokenizer.jinja;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Splits a template into tokens the way Jinja2's lexer does with transformers' settings (trim_blocks and
 * lstrip_blocks on, keep_trailing_newline off). Whitespace control happens here: "-" on a tag strips all
 * white space on that side; lstrip_blocks strips spaces and tabs before a block or comment tag only when
 * nothing but them stands between the start of the line and the tag, and "+" turns that off; trim_blocks
 * drops the one newline right after a block or comment tag, and "+" at the tag's end keeps it.
 */
final class Lexer {
    private static final String[] OPERATORS = {"//", "**", "==", "!=", ">=", "<=", "+", "-", "/", "*", "%", "~",
            "[", "]", "(", ")", "{", "}", ">", "<", "=", ".", ":", "|", ",", ";"};

    private final String source;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;
    private int line = 1;
    /** Whether the text about to be lexed starts a line (Jinja2's line_starting). */
    private boolean lineStarting = true;

    private Lexer(String source) {
        this.source = source;
    }

    static List<Token> tokenize(String template) {
        Lexer lexer = new Lexer(normalizeNewlines(template));
        lexer.root();
        lexer.tokens.add(new Token(Token.Kind.EOF, "", null, lexer.line));
        return lexer.tokens;
    }

    /** \r\n and \r become \n, and one trailing newline goes (keep_trailing_newline=False). */
    static String normalizeNewlines(String s) {
        String n = s.replace("\r\n", "\n").replace('\r', '\n');
        return n.endsWith("\n") ? n.substring(0, n.length() - 1) : n;
    }

    private void root() {
        while (pos < source.length()) {
            int tag = nextTagStart(pos);
            if (tag < 0) {
                data(source.substring(pos));
                pos = source.length();
                return;
            }
            String text = source.substring(pos, tag);
            char kind = source.charAt(tag + 1);
            char sign = tag + 2 < source.length() ? source.charAt(tag + 2) : 0;
            if (sign != '-' && sign != '+') sign = 0;
            int afterBegin = tag + 2 + (sign == 0 ? 0 : 1);
            int rawEnd = kind == '%' ? rawBeginEnd(afterBegin) : -1;
            data(strip(text, sign, kind != '{'));
            pos = afterBegin;
            lineStarting = false;
            if (rawEnd >= 0) {
                raw(rawEnd);
            } else if (kind == '#') {
                comment();
            } else {
                tag(kind == '{' ? Token.Kind.VARIABLE_BEGIN : Token.Kind.BLOCK_BEGIN);
            }
        }
    }

    private int nextTagStart(int from) {
        for (int i = source.indexOf('{', from); i >= 0 && i + 1 < source.length(); i = source.indexOf('{', i + 1)) {
            char c = source.charAt(i + 1);
            if (c == '{' || c == '%' || c == '#') return i;
        }
        return -1;
    }

    /** The text before a tag, after "-" (strip all white space) or lstrip_blocks (spaces before a block tag). */
    private String strip(String text, char sign, boolean blockOrComment) {
        if (sign == '-') return rstrip(text);
        if (sign == '+' || !blockOrComment) return text;
        int lineStart = text.lastIndexOf('\n') + 1;
        if ((lineStart > 0 || lineStarting) && lineStart < text.length() && allSpace(text, lineStart)) {
            return text.substring(0, lineStart);
        }
        return text;
    }

    private static boolean allSpace(String s, int from) {
        for (int i = from; i < s.length(); i++) if (!PyStrings.isSpace(s.charAt(i))) return false;
        return true;
    }

    private static String rstrip(String s) {
        int end = s.length();
        while (end > 0 && PyStrings.isSpace(s.charAt(end - 1))) end--;
        return s.substring(0, end);
    }

    private void data(String text) {
        if (text.isEmpty()) return;
        tokens.add(new Token(Token.Kind.DATA, text, text, line));
        line += count(text, '\n');
    }

    private static int count(String s, char c) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) == c) n++;
        return n;
    }

    /** Where "{% raw %}" (or "{%- raw -%}") that starts at from ends, or -1 when the tag is not raw. */
    private int rawBeginEnd(int from) {
        int i = skipSpace(from);
        if (!source.startsWith("raw", i)) return -1;
        i = skipSpace(i + 3);
        if (source.startsWith("-%}", i)) return skipSpace(i + 3);
        if (source.startsWith("%}", i)) return i + 2;
        return -1;
    }

    private int skipSpace(int i) {
        while (i < source.length() && PyStrings.isSpace(source.charAt(i))) i++;
        return i;
    }

    private void raw(int contentStart) {
        line += count(source.substring(pos, contentStart), '\n');
        lineStarting = source.charAt(contentStart - 1) == '\n';
        for (int i = source.indexOf("{%", contentStart); i >= 0; i = source.indexOf("{%", i + 1)) {
            int j = i + 2;
            char sign = j < source.length() && (source.charAt(j) == '-' || source.charAt(j) == '+') ? source.charAt(j++) : 0;
            j = skipSpace(j);
            if (!source.startsWith("endraw", j)) continue;
            j = skipSpace(j + 6);
            int end = blockEnd(j);
            if (end < 0) continue;
            data(strip(source.substring(contentStart, i), sign, true));
            line += count(source.substring(i, end), '\n');
            lineStarting = source.charAt(end - 1) == '\n';
            pos = end;
            return;
        }
        throw TemplateException.syntax(line, "Missing end of raw directive");
    }

    /** The end of "+%}", "-%}" and the white space after it, or "%}" and one newline; -1 when none is at i. */
    private int blockEnd(int i) {
        if (source.startsWith("+%}", i)) return i + 3;
        if (source.startsWith("-%}", i)) return skipSpace(i + 3);
        if (source.startsWith("%}", i)) return i + 2 + (source.startsWith("\n", i + 2) ? 1 : 0);
        return -1;
    }

    private void comment() {
        int close = source.indexOf("#}", pos);
        if (close < 0) throw TemplateException.syntax(line, "Missing end of comment tag");
        int end;
        if (close - 1 >= pos && source.charAt(close - 1) == '-') end = skipSpace(close + 2);
        else if (close - 1 >= pos && source.charAt(close - 1) == '+') end = close + 2;
        else end = close + 2 + (source.startsWith("\n", close + 2) ? 1 : 0);
        line += count(source.substring(pos, end), '\n');
        lineStarting = source.charAt(end - 1) == '\n';
        pos = end;
    }

    private void tag(Token.Kind begin) {
        tokens.add(new Token(begin, begin == Token.Kind.BLOCK_BEGIN ? "{%" : "{{", null, line));
        Deque<Character> balancing = new ArrayDeque<>();
        while (true) {
            if (pos >= source.length()) {
                throw TemplateException.syntax(line, "unexpected end of template, expected '"
                        + (begin == Token.Kind.BLOCK_BEGIN ? "end of statement block" : "end of print statement") + "'");
            }
            if (balancing.isEmpty()) {
                int end = begin == Token.Kind.BLOCK_BEGIN ? blockEnd(pos) : variableEnd(pos);
                if (end >= 0) {
                    tokens.add(new Token(begin == Token.Kind.BLOCK_BEGIN ? Token.Kind.BLOCK_END : Token.Kind.VARIABLE_END,
                            source.substring(pos, end), null, line));
                    line += count(source.substring(pos, end), '\n');
                    lineStarting = source.charAt(end - 1) == '\n';
                    pos = end;
                    return;
                }
            }
            char c = source.charAt(pos);
            if (PyStrings.isSpace(c)) {
                if (c == '\n') line++;
                pos++;
            } else if (Character.isDigit(c)) {
                number();
            } else if (c == '_' || Character.isLetter(c)) {
                int start = pos;
                while (pos < source.length() && (source.charAt(pos) == '_' || Character.isLetterOrDigit(source.charAt(pos)))) pos++;
                tokens.add(new Token(Token.Kind.NAME, source.substring(start, pos), null, line));
            } else if (c == '\'' || c == '"') {
                string(c);
            } else {
                operator(balancing);
            }
        }
    }

    private int variableEnd(int i) {
        if (source.startsWith("-}}", i)) return skipSpace(i + 3);
        if (source.startsWith("}}", i)) return i + 2;
        return -1;
    }

    private void operator(Deque<Character> balancing) {
        for (String op : OPERATORS) {
            if (!source.startsWith(op, pos)) continue;
            char c = op.charAt(0);
            if (op.length() == 1 && (c == '{' || c == '(' || c == '[')) {
                balancing.push(c == '{' ? '}' : c == '(' ? ')' : ']');
            } else if (op.length() == 1 && (c == '}' || c == ')' || c == ']')) {
                if (balancing.isEmpty()) throw TemplateException.syntax(line, "unexpected '" + c + "'");
                char expected = balancing.pop();
                if (expected != c) throw TemplateException.syntax(line, "unexpected '" + c + "', expected '" + expected + "'");
            }
            tokens.add(new Token(Token.Kind.OPERATOR, op, null, line));
            pos += op.length();
            return;
        }
        throw TemplateException.syntax(line, "unexpected char '" + source.charAt(pos) + "' at " + pos);
    }

    /** An integer (decimal, 0b, 0o, 0x, with _ separators) or a float (needs a fraction or an exponent). */
    private void number() {
        int start = pos;
        if (source.charAt(pos) == '0' && pos + 1 < source.length() && "bBoOxX".indexOf(source.charAt(pos + 1)) >= 0) {
            int radix = switch (Character.toLowerCase(source.charAt(pos + 1))) {
                case 'b' -> 2;
                case 'o' -> 8;
                default -> 16;
            };
            int i = pos + 2;
            int digitsStart = i;
            while (i < source.length() && (Character.digit(source.charAt(i), radix) >= 0
                    || (source.charAt(i) == '_' && i + 1 < source.length() && Character.digit(source.charAt(i + 1), radix) >= 0))) i++;
            if (i > digitsStart) {
                pos = i;
                String digits = source.substring(digitsStart, i).replace("_", "");
                tokens.add(new Token(Token.Kind.INTEGER, source.substring(start, i),
                        PyOps.normalize(new BigInteger(digits, radix)), line));
                return;
            }
        }
        int i = digits(pos);
        boolean isFloat = false;
        if (i + 1 < source.length() && source.charAt(i) == '.' && Character.isDigit(source.charAt(i + 1))) {
            i = digits(i + 1);
            isFloat = true;
        }
        if (i < source.length() && (source.charAt(i) == 'e' || source.charAt(i) == 'E')) {
            int j = i + 1;
            if (j < source.length() && (source.charAt(j) == '+' || source.charAt(j) == '-')) j++;
            if (j < source.length() && Character.isDigit(source.charAt(j))) {
                i = digits(j);
                isFloat = true;
            }
        }
        String text = source.substring(start, i);
        pos = i;
        String plain = text.replace("_", "");
        if (isFloat) {
            tokens.add(new Token(Token.Kind.FLOAT, text, Double.parseDouble(plain), line));
        } else {
            tokens.add(new Token(Token.Kind.INTEGER, text, PyOps.normalize(new BigInteger(plain)), line));
        }
    }

    /** Digits with single underscores between them. */
    private int digits(int i) {
        while (i < source.length() && (Character.isDigit(source.charAt(i))
                || (source.charAt(i) == '_' && i + 1 < source.length() && Character.isDigit(source.charAt(i + 1))))) i++;
        return i;
    }

    private void string(char quote) {
        int start = pos;
        int i = pos + 1;
        while (i < source.length() && source.charAt(i) != quote) {
            if (source.charAt(i) == '\\') i++;
            i++;
        }
        if (i >= source.length()) throw TemplateException.syntax(line, "unexpected char '" + quote + "' at " + start);
        String body = source.substring(start + 1, i);
        pos = i + 1;
        tokens.add(new Token(Token.Kind.STRING, source.substring(start, pos), PyStrings.unescape(body), line));
        line += count(body, '\n');
    }
}
