package dev.srr;

import java.io.PrintWriter;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Non-fatal problems with the user's input (a duplicate key in a config file, say) that srr reports and then
 * works through. Readers call {@link #warn}; the command line sends the messages to its error stream as
 * {@code srr: warning: <message>} lines, so they never mix with results on standard output.
 */
public final class Warnings {
    private static volatile Consumer<String> sink = Warnings::toStandardError;

    private Warnings() {
    }

    /** Reports one problem; {@code message} names the file and the field, like an {@link SrrException}'s. */
    public static void warn(String message) {
        sink.accept(message);
    }

    /**
     * Sends warnings to {@code err} until the returned scope is closed, then to whatever received them before.
     * Within a scope each distinct message is printed once (a file read twice warns once). One command line at a
     * time: scopes are meant to nest, not to run side by side on several threads.
     */
    public static Scope to(PrintWriter err) {
        Consumer<String> previous = sink;
        Set<String> seen = ConcurrentHashMap.newKeySet();
        sink = message -> {
            if (!seen.add(message)) return;
            err.println("srr: warning: " + SrrException.oneLine(message));
            err.flush();
        };
        return () -> sink = previous;
    }

    /** Restores the previous destination of warnings when closed. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    private static void toStandardError(String message) {
        System.err.println("srr: warning: " + SrrException.oneLine(message));
    }
}
