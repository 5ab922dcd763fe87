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
}
