package dev.srr.hub;

import java.util.List;

/**
 * Hears what a pull does, for progress displays. Every method has an empty default; calls come from the pulling
 * thread, in order: {@link #planned} (possibly more than once: srr's default set is planned in two rounds, the
 * shard index before the shards it names), then per file {@link #started}, {@link #progress}..., {@link #finished}.
 */
public interface PullListener {
    /** Silent. */
    PullListener NONE = new PullListener() {
    };

    /**
     * One file of a round, with its size in bytes (-1 when the server gave none) and whether the cache already holds
     * it.
     */
    record PlannedFile(String path, long size, boolean cached) {
    }

    /** The files of the next round, cached ones included. */
    default void planned(ModelRef ref, String commit, List<PlannedFile> files) {
    }

    /** A download starts (or resumes at {@code resumeAt} bytes); {@code size} in bytes, -1 when unknown. */
    default void started(String path, long size, long resumeAt) {
    }

    /** {@code done} of {@code size} bytes of {@code path} are on disk (done may go back to 0 on a restart). */
    default void progress(String path, long done, long size) {
    }

    /**
     * {@code path} is complete in the cache: {@code received} bytes came over the network for it in this pull (0 when
     * another process downloaded it while this one waited).
     */
    default void finished(String path, long size, long received) {
    }

    /** Another download of the same file holds its lock; this pull waits for it. */
    default void waiting(String path) {
    }

    /** Something worth a line: a resumed download, a retry, a server that ignored the range asked for. */
    default void note(String message) {
    }
}
