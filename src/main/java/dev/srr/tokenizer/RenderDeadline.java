package dev.srr.tokenizer;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.tree.Node;

import java.util.function.BiConsumer;

/**
 * A time limit on one chat-template render. A template is a small program from the input file: loops nested a
 * few deep over range() run for hours, which no real template does (they render in milliseconds). Jinjava calls
 * {@link #check} before every node it renders; past the deadline it throws {@link Expired}, which the renderer
 * reports as an error naming the file.
 */
final class RenderDeadline implements BiConsumer<Node, JinjavaInterpreter> {
    /** The property holding how long one render may take, in seconds (default 10), read at each render. */
    static final String LIMIT_PROPERTY = "srr.chatTemplate.seconds";

    private static final ThreadLocal<Long> DEADLINE = new ThreadLocal<>();

    /** Thrown from inside Jinjava when the render on this thread has run out of time. */
    static final class Expired extends RuntimeException {
        Expired() {
            super("chat template did not finish within " + limitSeconds() + " s", null, false, false);
        }
    }

    static long limitSeconds() {
        return Math.max(1, Long.getLong(LIMIT_PROPERTY, 10));
    }

    /** Starts the clock for a render on this thread; {@link #stop} ends it. */
    static void start() {
        DEADLINE.set(System.nanoTime() + limitSeconds() * 1_000_000_000L);
    }

    /**
     * Ends the render on this thread; returns whether it ran past its deadline (Jinjava may have caught
     * {@link Expired} and rendered on around the node it failed, so the result alone does not tell).
     */
    static boolean stop() {
        boolean expired = expired();
        DEADLINE.remove();
        return expired;
    }

    private static boolean expired() {
        Long deadline = DEADLINE.get();
        return deadline != null && System.nanoTime() - deadline > 0;
    }

    @Override
    public void accept(Node node, JinjavaInterpreter interpreter) {
        if (expired()) throw new Expired();
    }
}
