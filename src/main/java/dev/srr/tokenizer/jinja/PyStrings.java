package dev.srr.tokenizer.jinja;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Python str operations with Python's semantics (white space, case, splitting, literal escapes). */
final class PyStrings {
    private PyStrings() {
    }

    /** Python's str.isspace() for one code point. */
    static boolean isSpace(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp) || cp == 0x85;
    }

    static String strip(String s, String chars, boolean left, boolean right) {
        int from = 0;
        int to = s.length();
        if (left) {
            while (from < to) {
                int cp = s.codePointAt(from);
                if (!stripped(cp, chars)) break;
                from += Character.charCount(cp);
            }
        }
        if (right) {
            while (to > from) {
                int cp = s.codePointBefore(to);
                if (!stripped(cp, chars)) break;
                to -= Character.charCount(cp);
            }
        }
        return s.substring(from, to);
    }

    private static boolean stripped(int cp, String chars) {
        return chars == null ? isSpace(cp) : chars.indexOf(cp) >= 0;
    }

    /** str.split(sep, maxsplit): literal separator; without one, runs of white space and no empty parts. */
    static List<String> split(String s, String sep, int maxSplit) {
        List<String> out = new ArrayList<>();
        if (sep == null) {
            int i = 0;
            int n = s.length();
            while (true) {
                while (i < n && isSpace(s.codePointAt(i))) i += Character.charCount(s.codePointAt(i));
                if (i >= n) break;
                if (maxSplit >= 0 && out.size() == maxSplit) {
                    out.add(strip(s.substring(i), null, false, true));
                    break;
                }
                int j = i;
                while (j < n && !isSpace(s.codePointAt(j))) j += Character.charCount(s.codePointAt(j));
                out.add(s.substring(i, j));
                i = j;
            }
            return out;
        }
        if (sep.isEmpty()) throw TemplateException.runtime("empty separator");
        int from = 0;
        while (maxSplit < 0 || out.size() < maxSplit) {
            int at = s.indexOf(sep, from);
            if (at < 0) break;
            out.add(s.substring(from, at));
            from = at + sep.length();
        }
        out.add(s.substring(from));
        return out;
    }

    static String capitalize(String s) {
        if (s.isEmpty()) return s;
        int first = s.codePointAt(0);
        return new String(Character.toChars(Character.toTitleCase(first)))
                + s.substring(Character.charCount(first)).toLowerCase(Locale.ROOT);
    }

    static String title(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        boolean previousCased = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            boolean cased = Character.isUpperCase(cp) || Character.isLowerCase(cp) || Character.isTitleCase(cp);
            sb.appendCodePoint(cased ? (previousCased ? Character.toLowerCase(cp) : Character.toTitleCase(cp)) : cp);
            previousCased = cased;
            i += Character.charCount(cp);
        }
        return sb.toString();
    }

    /** str.rsplit(sep, maxsplit). */
    static List<String> rsplit(String s, String sep, int maxSplit) {
        if (maxSplit < 0) return split(s, sep, -1);
        List<String> out = new ArrayList<>();
        if (sep == null) {
            int end = s.length();
            while (true) {
                while (end > 0 && isSpace(s.codePointBefore(end))) end -= Character.charCount(s.codePointBefore(end));
                if (end <= 0) break;
                if (out.size() == maxSplit) {
                    out.add(strip(s.substring(0, end), null, true, false));
                    break;
                }
                int start = end;
                while (start > 0 && !isSpace(s.codePointBefore(start))) start -= Character.charCount(s.codePointBefore(start));
                out.add(s.substring(start, end));
                end = start;
            }
            java.util.Collections.reverse(out);
            return out;
        }
        if (sep.isEmpty()) throw TemplateException.runtime("empty separator");
        int end = s.length();
        while (out.size() < maxSplit) {
            int at = s.lastIndexOf(sep, end - sep.length());
            if (at < 0 || end - sep.length() < 0) break;
            out.add(s.substring(at + sep.length(), end));
            end = at;
        }
        out.add(s.substring(0, end));
        java.util.Collections.reverse(out);
        return out;
    }

    /** Python's line boundaries for str.splitlines. */
    static boolean isLineBreak(int cp) {
        return cp == '\n' || cp == '\r' || cp == 0x0b || cp == 0x0c || cp == 0x1c || cp == 0x1d || cp == 0x1e
                || cp == 0x85 || cp == 0x2028 || cp == 0x2029;
    }

    /** str.splitlines(keepends). */
    static List<String> splitlines(String s, boolean keepEnds) {
        List<String> out = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (!isLineBreak(c)) {
                i++;
                continue;
            }
            int end = i;
            i += (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') ? 2 : 1;
            out.add(s.substring(start, keepEnds ? i : end));
            start = i;
        }
        if (start < s.length()) out.add(s.substring(start));
        return out;
    }

    static String upper(String s) {
        return s.toUpperCase(Locale.ROOT);
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    static String swapcase(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            String one = new String(Character.toChars(cp));
            if (Character.isUpperCase(cp)) sb.append(one.toLowerCase(Locale.ROOT));
            else if (Character.isLowerCase(cp)) sb.append(one.toUpperCase(Locale.ROOT));
            else sb.append(one);
        });
        return sb.toString();
    }

    static boolean isCased(int cp) {
        return Character.isUpperCase(cp) || Character.isLowerCase(cp) || Character.isTitleCase(cp);
    }

    /** str.isupper() / str.islower(): some cased character, and none of the other case. */
    static boolean allCased(String s, boolean upper) {
        boolean cased = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (upper ? (Character.isLowerCase(cp) || Character.isTitleCase(cp)) : (Character.isUpperCase(cp) || Character.isTitleCase(cp))) {
                return false;
            }
            cased |= isCased(cp);
        }
        return cased;
    }

    /** The value of a Jinja2 string literal's body: Python's backslash escapes decoded. */
    static String unescape(String body) {
        if (body.indexOf('\\') < 0) return body;
        StringBuilder sb = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c != '\\' || i + 1 >= body.length()) {
                sb.append(c);
                continue;
            }
            char e = body.charAt(++i);
            switch (e) {
                case '\n' -> { }
                case '\\', '\'', '"' -> sb.append(e);
                case 'a' -> sb.append('\u0007');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'v' -> sb.append('\u000b');
                case 'x', 'u', 'U' -> {
                    int n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                    String hex = body.substring(i + 1, Math.min(body.length(), i + 1 + n));
                    if (hex.length() < n || !hex.chars().allMatch(h -> Character.digit(h, 16) >= 0)) {
                        throw TemplateException.syntax(0, "truncated \\" + e + " escape");
                    }
                    sb.appendCodePoint(Integer.parseInt(hex, 16));
                    i += n;
                }
                case 'N' -> {
                    int close = body.indexOf('}', i);
                    if (i + 1 >= body.length() || body.charAt(i + 1) != '{' || close < 0) {
                        throw TemplateException.syntax(0, "malformed \\N character escape");
                    }
                    sb.appendCodePoint(Character.codePointOf(body.substring(i + 2, close)));
                    i = close;
                }
                default -> {
                    if (e >= '0' && e <= '7') {
                        int end = i;
                        while (end < body.length() && end < i + 3 && body.charAt(end) >= '0' && body.charAt(end) <= '7') end++;
                        sb.appendCodePoint(Integer.parseInt(body.substring(i, end), 8));
                        i = end - 1;
                    } else {
                        sb.append('\\').append(e);
                    }
                }
            }
        }
        return sb.toString();
    }

    /** str.replace(old, new, count); an empty old inserts new around every character, as Python does. */
    static String replace(String s, String old, String replacement, long count) {
        if (count < 0) count = Long.MAX_VALUE;
        StringBuilder sb = new StringBuilder();
        if (old.isEmpty()) {
            long n = 0;
            int i = 0;
            while (i <= s.length()) {
                if (n < count) {
                    sb.append(replacement);
                    n++;
                }
                if (i == s.length()) break;
                int cp = s.codePointAt(i);
                sb.appendCodePoint(cp);
                i += Character.charCount(cp);
            }
            return sb.toString();
        }
        int from = 0;
        for (long n = 0; n < count; n++) {
            int at = s.indexOf(old, from);
            if (at < 0) break;
            sb.append(s, from, at).append(replacement);
            from = at + old.length();
        }
        return sb.append(s, from, s.length()).toString();
    }

    /** str.center, ljust and rjust (method names the side); fill is one character. */
    static String pad(String s, int width, String fill, String method) {
        if (fill.codePointCount(0, fill.length()) != 1) {
            throw TemplateException.runtime("The fill character must be exactly one character long");
        }
        int len = s.codePointCount(0, s.length());
        if (len >= width) return s;
        int total = width - len;
        int left = switch (method) {
            case "ljust" -> 0;
            case "rjust" -> total;
            default -> total / 2 + (total & width & 1);
        };
        return fill.repeat(left) + s + fill.repeat(total - left);
    }

    /** str.expandtabs(tabsize). */
    static String expandTabs(String s, int tabSize) {
        StringBuilder sb = new StringBuilder();
        int column = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\t') {
                if (tabSize > 0) {
                    int spaces = tabSize - column % tabSize;
                    sb.append(" ".repeat(spaces));
                    column += spaces;
                }
            } else {
                sb.append(c);
                column = c == '\n' || c == '\r' ? 0 : column + 1;
            }
        }
        return sb.toString();
    }
}
