package dev.srr.cli;

import dev.srr.engine.FinishReason;
import dev.srr.engine.TokenListener;

import java.io.PrintWriter;

/**
 * A progress line on stderr for long generations: tokens so far, tokens/s, candidates done. It first shows
 * after a couple of seconds so short runs stay quiet, and rewrites itself in place on a terminal.
 */
final class ProgressLine implements TokenListener {
    private static final long FIRST_NANOS = 2_000_000_000L;
    private static final long EVERY_NANOS = 1_000_000_000L;

    private final PrintWriter err;
    private final int candidates;
    private final boolean terminal = System.console() != null;
    private final long start = System.nanoTime();
    private long next = start + FIRST_NANOS;
    private long tokens;
    private int done;
    private boolean shown;

    ProgressLine(PrintWriter err, int candidates) {
        this.err = err;
        this.candidates = candidates;
    }

    @Override
    public void onToken(int candidate, int token, int count) {
        tokens++;
        long now = System.nanoTime();
        if (now >= next) {
            next = now + EVERY_NANOS;
            show(now);
        }
    }

    @Override
    public void onFinish(int candidate, FinishReason reason) {
        done++;
    }

    private void show(long now) {
        double seconds = (now - start) / 1e9;
        String line = String.format("generate: %d tokens, %.1f tokens/s, %d/%d candidates done", tokens, tokens / seconds, done, candidates);
        if (terminal) err.print("\r" + line);
        else err.println(line);
        err.flush();
        shown = true;
    }

    /** Ends an in-place line so that what follows starts on a fresh one. */
    void close() {
        if (shown && terminal) {
            err.println();
            err.flush();
        }
    }
}
