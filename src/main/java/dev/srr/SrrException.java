package dev.srr;

/**
 * A problem with the user's input (a file, a field, an option) that srr reports as one clear message
 * and a non-zero exit, without a stack trace. Messages name the file and the tensor or field at fault.
 */
public class SrrException extends RuntimeException {
    public SrrException(String message) {
        super(message);
    }

    public SrrException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * {@code message} as one printable line: messages quote the user's input (a token, a key), so control
     * characters in it are written as Java-style escapes (backslash-n, backslash-u-hex) and an error stays one line.
     */
    public static String oneLine(String message) {
        if (message == null) return "(no message)";
        StringBuilder sb = new StringBuilder(message.length());
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            if (c == '\n') sb.append("\\n");
            else if (c == '\r') sb.append("\\r");
            else if (c == '\t') sb.append("\\t");
            else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        return sb.toString();
    }
}
