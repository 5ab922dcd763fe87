package dev.srr.tokenizer;

import dev.srr.SrrException;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Compiles the Oniguruma (Ruby syntax) regular expressions of tokenizer.json into Java patterns that match
 * the same text. With UNICODE_CHARACTER_CLASS, Java's {@code \s}, {@code \w}, {@code \d} and {@code \b} use
 * Unicode properties (White_Space etc.) like Oniguruma on UTF-8, and {@code (?i)} folds case by Unicode rules.
 * Escapes whose meaning differs between the two engines are rewritten.
 */
final class OnigRegex {
    private OnigRegex() {
    }

    static Pattern compile(String onig, String where) {
        try {
            return Pattern.compile(translate(onig), Pattern.UNICODE_CHARACTER_CLASS);
        } catch (PatternSyntaxException e) {
            throw new SrrException(where + ": unsupported regular expression " + onig + ": " + e.getDescription());
        }
    }

    /** Rewrites the escapes that Oniguruma reads differently from Java. */
    static String translate(String onig) {
        StringBuilder out = new StringBuilder(onig.length() + 16);
        for (int i = 0; i < onig.length(); i++) {
            char c = onig.charAt(i);
            if (c != '\\' || i + 1 >= onig.length()) {
                out.append(c);
                continue;
            }
            char e = onig.charAt(++i);
            switch (e) {
                // Oniguruma's \h is a hexadecimal digit; Java's is horizontal white space.
                case 'h' -> out.append("\\p{XDigit}");
                case 'H' -> out.append("\\P{XDigit}");
                default -> out.append('\\').append(e);
            }
        }
        return out.toString();
    }
}
