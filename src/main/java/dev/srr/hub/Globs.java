package dev.srr.hub;

import java.util.regex.Pattern;

/**
 * Shell-style patterns over repository paths with the meaning {@code huggingface_hub} gives its
 * {@code allow_patterns}/{@code ignore_patterns} (Python's {@code fnmatchcase}): {@code *} matches any run of
 * characters, slashes included; {@code ?} one character; {@code [abc]}, {@code [a-z]}, {@code [!abc]} one
 * character of a set; everything else itself, case-sensitively. A pattern ending in {@code /} matches everything
 * under that folder.
 */
final class Globs {
    private Globs() {
    }

    /** True when {@code text} holds a character that makes it a pattern rather than a plain name. */
    static boolean isPattern(String text) {
        return text.indexOf('*') >= 0 || text.indexOf('?') >= 0 || text.indexOf('[') >= 0;
    }

    static Pattern compile(String glob) {
        String g = glob.endsWith("/") ? glob + "*" : glob;
        StringBuilder re = new StringBuilder(g.length() + 8);
        for (int i = 0; i < g.length(); i++) {
            char c = g.charAt(i);
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                case '[' -> {
                    int close = classEnd(g, i);
                    if (close < 0) {
                        re.append("\\[");
                    } else {
                        re.append(charClass(g.substring(i + 1, close)));
                        i = close;
                    }
                }
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }

    static boolean matches(String glob, String path) {
        return compile(glob).matcher(path).matches();
    }

    /** Index of the {@code ]} closing the set opened at {@code open}, or -1 (then {@code [} is literal, as in fnmatch). */
    private static int classEnd(String g, int open) {
        int j = open + 1;
        if (j < g.length() && g.charAt(j) == '!') j++;
        if (j < g.length() && g.charAt(j) == ']') j++; // a leading ] is a member, not the end
        while (j < g.length() && g.charAt(j) != ']') j++;
        return j < g.length() ? j : -1;
    }

    private static String charClass(String body) {
        StringBuilder sb = new StringBuilder("[");
        int i = 0;
        if (body.startsWith("!")) {
            sb.append('^');
            i = 1;
        }
        for (; i < body.length(); i++) {
            char c = body.charAt(i);
            // '-' between two members is a range; every other character stands for itself
            if (c == '-' && i > 0 && i < body.length() - 1 && !(i == 1 && body.startsWith("!"))) sb.append('-');
            else if (Character.isLetterOrDigit(c)) sb.append(c);
            else sb.append('\\').append(c);
        }
        return sb.append(']').toString();
    }
}
