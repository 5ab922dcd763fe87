package dev.srr.hub;

import java.nio.charset.StandardCharsets;

/** Paths inside a repository: which are safe to mirror on disk, and how they are written in URLs. */
final class RepoPaths {
    private RepoPaths() {
    }

    /**
     * True when {@code path} is a relative path of ordinary segments: not empty, no leading slash, no backslash,
     * no {@code .} or {@code ..} segment, no control character. A server naming anything else would make srr write
     * outside the snapshot folder, so such names are refused.
     */
    static boolean isSafe(String path) {
        if (path == null || path.isEmpty() || path.length() > 4096 || path.startsWith("/") || path.indexOf('\\') >= 0) {
            return false;
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) return false;
        }
        for (int i = 0; i < path.length(); i++) {
            if (Character.isISOControl(path.charAt(i))) return false;
        }
        return true;
    }

    /**
     * Percent-encodes {@code text} as UTF-8 for a URL path, keeping letters, digits and {@code - _ . ~} (and
     * {@code /} when {@code keepSlash}), as Python's {@code urllib.parse.quote} does: revisions are encoded whole
     * ({@code refs%2Fpr%2F1}), file paths keep their slashes.
     */
    static String quote(String text, boolean keepSlash) {
        StringBuilder sb = new StringBuilder(text.length() + 16);
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '.' || c == '~' || (keepSlash && c == '/')) {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return sb.toString();
    }
}
