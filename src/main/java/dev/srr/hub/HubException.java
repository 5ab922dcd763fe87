package dev.srr.hub;

import dev.srr.SrrException;

/**
 * A failure talking to the Hugging Face Hub or using its cache, reported as one line that names the repository
 * (and file) and says what to do. {@link #kind()} lets callers tell a missing repository from a network outage,
 * which is the one case where falling back to the cache makes sense.
 */
public final class HubException extends SrrException {
    /** What went wrong, as far as the caller needs to act on it. */
    public enum Kind {
        /** The repository does not exist, or is private and the token (if any) cannot see it. */
        REPO_NOT_FOUND,
        /** The repository exists but the branch, tag or commit does not. */
        REVISION_NOT_FOUND,
        /** The repository is gated: its conditions must be accepted and a token of that account sent. */
        GATED,
        /** The file is not in the repository at that revision. */
        ENTRY_NOT_FOUND,
        /** The token was refused, or access was denied. */
        UNAUTHORIZED,
        /** The Hub could not be reached (connection refused, DNS, timeout) or a transfer kept failing. */
        NETWORK,
        /** The Hub answered with a server error (5xx) or a rate limit (429). */
        SERVER,
        /** The server's answer is not what a Hub endpoint sends (no commit or ETag header, bad JSON). */
        PROTOCOL,
        /** A downloaded file does not match its checksum or size. */
        CORRUPT,
        /** Offline ({@code HF_HUB_OFFLINE}) or not pulling, and the cache does not hold what was asked for. */
        NOT_CACHED,
        /** The cache folder cannot be written (permissions, disk full). */
        LOCAL_IO,
        /** The repository holds nothing srr can load with the selection asked for. */
        NOTHING_TO_PULL
    }

    private final Kind kind;

    public HubException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public HubException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** True for failures where the Hub could not answer at all, so a cached copy may stand in. */
    public boolean unreachable() {
        return kind == Kind.NETWORK || kind == Kind.SERVER;
    }
}
