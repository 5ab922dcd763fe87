package dev.srr.tokenizer;

import java.time.LocalDateTime;

/**
 * The global functions transformers gives chat templates. Public only because Jinjava calls them by
 * reflection; not meant for other callers.
 */
public final class JinjaFunctions {
    private static final ThreadLocal<String> RAISED = new ThreadLocal<>();

    private JinjaFunctions() {
    }

    /** raise_exception(message): the template refuses the conversation. */
    public static String raiseException(String message) {
        RAISED.set(message);
        throw new IllegalStateException(message);
    }

    /** strftime_now(format): the current local time in a Python strftime format. */
    public static String strftimeNow(String format) {
        return PythonTime.strftime(LocalDateTime.now(), format);
    }

    /** The message of the last raise_exception on this thread, clearing it. */
    static String takeRaised() {
        String message = RAISED.get();
        RAISED.remove();
        return message;
    }
}
