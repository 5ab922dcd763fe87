package dev.srr.cli;

import dev.srr.hub.ModelRef;
import dev.srr.hub.PullListener;

import java.io.Console;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Shows a pull's progress on the error stream: per file and in total, bytes, rate and time left. On a terminal
 * ({@link System#console()} attached to one) one status line is redrawn in place, at most ten times a second;
 * otherwise (a log, a pipe, CI) plain lines are written: the plan, each finished file, and a status line every
 * {@value #PLAIN_EVERY_S} s during a long file. Quiet shows nothing.
 */
final class PullProgress implements PullListener {
    static final int PLAIN_EVERY_S = 5;
    private static final int WIDTH = 110;

    private final PrintWriter err;
    private final boolean terminal;
    private final boolean quiet;
    private final long start = System.nanoTime();
    private final Map<String, Long> done = new HashMap<>();
    private long totalBytes;
    private long finishedBytes;
    private int totalFiles;
    private int finishedFiles;
    private long received;
    private long currentSize;
    private long currentStart;
    private long currentResumedAt;
    private long lastDraw;
    private int drawnWidth;

    PullProgress(PrintWriter err, boolean quiet) {
        this(err, isTerminal(), quiet);
    }

    PullProgress(PrintWriter err, boolean terminal, boolean quiet) {
        this.err = err;
        this.terminal = terminal;
        this.quiet = quiet;
    }

    static boolean isTerminal() {
        Console c = System.console();
        return c != null && c.isTerminal();
    }

    @Override
    public void planned(ModelRef ref, String commit, List<PlannedFile> files) {
        long toGet = 0;
        long cached = 0;
        int fetch = 0;
        for (PlannedFile f : files) {
            if (f.cached()) {
                cached += Math.max(0, f.size());
            } else {
                toGet += Math.max(0, f.size());
                fetch++;
            }
        }
        totalBytes += toGet;
        totalFiles += fetch;
        line("pull: " + ref.where() + " (commit " + commit.substring(0, 10) + "): " + files.size() + " file"
                + (files.size() == 1 ? "" : "s") + ", " + (fetch == 0 ? "all in the cache" : fetch + " to download ("
                + bytes(toGet) + ")" + (cached > 0 ? ", " + bytes(cached) + " in the cache" : "")));
    }

    @Override
    public void started(String path, long size, long resumeAt) {
        currentSize = size;
        currentStart = System.nanoTime();
        currentResumedAt = resumeAt;
        done.put(path, resumeAt);
        lastDraw = terminal ? 0 : System.nanoTime();
    }

    @Override
    public void progress(String path, long bytesDone, long size) {
        long before = done.getOrDefault(path, 0L);
        if (bytesDone > before) received += bytesDone - before;
        done.put(path, bytesDone);
        long now = System.nanoTime();
        long every = terminal ? 100_000_000L : PLAIN_EVERY_S * 1_000_000_000L;
        if (quiet || now - lastDraw < every) return;
        lastDraw = now;
        String status = status(path, bytesDone, size, now);
        if (terminal) draw(status);
        else line("pull: " + status);
    }

    @Override
    public void finished(String path, long size, long receivedBytes) {
        finishedFiles++;
        finishedBytes += Math.max(0, size);
        done.remove(path);
        double secs = (System.nanoTime() - currentStart) / 1e9;
        String how = receivedBytes == 0 ? "downloaded by another process meanwhile"
                : bytes(receivedBytes) + " in " + String.format(Locale.ROOT, "%.1f s", secs) + " (" + rate(receivedBytes, secs) + ")"
                + (currentResumedAt > 0 ? ", resumed at " + bytes(currentResumedAt) : "");
        line("pull: " + path + ": " + how + "; " + finishedFiles + "/" + totalFiles + " files, "
                + bytes(finishedBytes) + " of " + bytes(totalBytes));
    }

    @Override
    public void waiting(String path) {
        line("pull: " + path + ": another download of this file is under way; waiting for it");
    }

    @Override
    public void note(String message) {
        line("pull: " + message);
    }

    private String status(String path, long fileDone, long size, long now) {
        double secs = Math.max((now - currentStart) / 1e9, 1e-3);
        double fileRate = (fileDone - currentResumedAt) / secs;
        StringBuilder sb = new StringBuilder(path).append(": ").append(bytes(fileDone));
        if (size > 0) sb.append(" of ").append(bytes(size)).append(String.format(Locale.ROOT, " (%d%%)", fileDone * 100 / size));
        sb.append(", ").append(bytes((long) fileRate)).append("/s");
        if (size > 0 && fileRate > 0) sb.append(", ").append(eta((size - fileDone) / fileRate));
        long allDone = finishedBytes + fileDone;
        double allRate = received / Math.max((now - start) / 1e9, 1e-3);
        sb.append("; all: ").append(bytes(allDone)).append(" of ").append(bytes(totalBytes));
        if (totalBytes > allDone && allRate > 0) sb.append(", ").append(eta((totalBytes - allDone) / allRate));
        return sb.toString();
    }

    /** Redraws the status line in place. */
    private void draw(String status) {
        String text = status.length() > WIDTH ? status.substring(0, WIDTH - 1) + "…" : status;
        err.print("\r" + text + " ".repeat(Math.max(0, drawnWidth - text.length())));
        err.flush();
        drawnWidth = text.length();
    }

    /** A line of its own (on a terminal, over the status line, which the next progress call redraws). */
    private void line(String text) {
        if (quiet) return;
        if (terminal && drawnWidth > 0) {
            err.print("\r" + " ".repeat(drawnWidth) + "\r");
            drawnWidth = 0;
            lastDraw = 0;
        }
        err.println(text);
        err.flush();
    }

    /** Bytes in decimal units, as Hugging Face's progress bars show them. */
    static String bytes(long n) {
        if (n < 1000) return n + " B";
        String[] units = {"kB", "MB", "GB", "TB"};
        double v = n;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : "%.1f %s", v, units[u]);
    }

    private static String rate(long n, double secs) {
        return bytes((long) (n / Math.max(secs, 1e-3))) + "/s";
    }

    private static String eta(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) return "eta " + s + " s";
        if (s < 3600) return String.format(Locale.ROOT, "eta %d min %02d s", s / 60, s % 60);
        return String.format(Locale.ROOT, "eta %d h %02d min", s / 3600, s % 3600 / 60);
    }
}
