package dev.srr.cli;

import java.io.PrintWriter;

/** A one-line progress report on stderr, redrawn at most a few times a second; silent when quiet. */
final class Progress {
    private final PrintWriter err;
    private final boolean quiet;
    private final String label;
    private final long start = System.nanoTime();
    private long last;
    private boolean drawn;

    Progress(PrintWriter err, boolean quiet, String label) {
        this.err = err;
        this.quiet = quiet;
        this.label = label;
    }

    void update(long done, long total, String unit) {
        update(done, total, unit, "");
    }

    void update(long done, long total, String unit, String extra) {
        if (quiet) return;
        long now = System.nanoTime();
        if (done < total && now - last < 250_000_000L) return;
        last = now;
        double secs = (now - start) / 1e9;
        double rate = done / Math.max(secs, 1e-9);
        String eta = done > 0 && done < total ? String.format(", eta %.0f s", (total - done) / rate) : "";
        err.printf("\r%s: %d/%d %s (%.1f/s%s)%s   ", label, done, total, unit, rate, eta, extra);
        err.flush();
        drawn = true;
    }

    void done() {
        if (drawn && !quiet) {
            err.println();
            err.flush();
        }
    }
}
