package dev.srr.hub;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Downloads one file into {@code blobs/<etag>}, for a caller that holds the blob's {@link BlobLock}.
 *
 * <p>Bytes go to {@code blobs/<etag>.incomplete}, the name huggingface_hub used for its partial downloads before
 * 1.x made them private per process; a pull that was interrupted (or killed) resumes from that file's length with
 * {@code Range: bytes=N-}. A server that answers a range request with the whole file (200) gets the file written
 * from the start again. A connection that drops, or sends nothing for {@link HubConfig#downloadTimeout()}, is
 * retried from where it stopped, up to {@value #RETRIES} times in a row without progress.
 *
 * <p>Only a complete, checked file is renamed to {@code blobs/<etag>}: its size must be the size the Hub announced,
 * and its content must hash to the ETag (SHA-256 for LFS files; the git blob SHA-1 for files kept in git). A file
 * that fails the check is deleted, so the next pull downloads it again rather than trusting it.
 */
final class BlobDownload {
    static final int RETRIES = 5;
    private static final int BUFFER = 1 << 20;
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "srr-hub-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final HubClient client;
    private final HubConfig config;
    private final HubCache cache;
    private final ModelRef ref;
    private final String commit;
    private final String path;
    private final HubClient.FileMeta meta;
    private final PullListener listener;
    /** Bytes received over the network, failed attempts included. */
    private long received;

    BlobDownload(HubClient client, HubConfig config, HubCache cache, ModelRef ref, String commit, String path,
                 HubClient.FileMeta meta, PullListener listener) {
        this.client = client;
        this.config = config;
        this.cache = cache;
        this.ref = ref;
        this.commit = commit;
        this.path = path;
        this.meta = meta;
        this.listener = listener;
    }

    /**
     * Downloads, checks and moves the file into place.
     *
     * @return bytes received over the network
     * @throws HubException when the transfer keeps failing (NETWORK), the content does not match (CORRUPT), the
     *                      server misbehaves (PROTOCOL), or the cache cannot be written (LOCAL_IO)
     */
    long run() {
        Path partial = cache.incomplete(meta.etag());
        Path blob = cache.blob(meta.etag());
        long expected = meta.size();
        MessageDigest sha256 = meta.isSha256() ? digest("SHA-256") : null;
        try {
            Files.createDirectories(partial.getParent());
            try (FileChannel ch = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.READ)) {
                long have = ch.size();
                if (expected >= 0 && have > expected) {
                    have = restart(ch, sha256, "the partial download is longer than the file; starting over");
                }
                if (have > 0) listener.note(path + ": resuming at " + have + " of " + expected + " bytes");
                checkSpace(partial.getParent(), expected < 0 ? 0 : expected - have);
                if (sha256 != null) hashPrefix(ch, have, sha256);
                listener.started(path, expected, have);
                int failures = 0;
                while (expected < 0 || have < expected) {
                    long before = have;
                    try (HubClient.Transfer t = client.get(ref, commit, path, have)) {
                        if (t.status() == 416) {
                            // our offset is beyond what the server has: what we hold cannot be part of this file
                            if (have == 0) throw protocol("answered 416 to a request for the whole file");
                            have = restart(ch, sha256, "the server has no bytes after " + have + "; starting over");
                            continue;
                        }
                        if (t.start() != have) {
                            if (t.start() != 0) throw protocol("sent bytes from " + t.start() + " when asked for " + have);
                            have = restart(ch, sha256, "the server ignored the range request; downloading from the start");
                        }
                        long got = copy(t, ch, partial, have, expected, sha256);
                        have += got;
                        if (expected < 0) break; // no size announced: the end of a clean body is the end of the file
                        if (have < expected) throw new IOException("the connection closed after " + have + " of " + expected + " bytes");
                    } catch (IOException e) {
                        have = ch.size();
                        failures = have > before ? 1 : failures + 1;
                        if (failures > RETRIES) {
                            throw new HubException(HubException.Kind.NETWORK, ref.where() + ": " + path + ": download failed "
                                    + RETRIES + " times in a row (" + reason(e) + "); run the pull again to resume from "
                                    + have + " bytes", e);
                        }
                        listener.note(path + ": " + reason(e) + "; retrying from " + have + " bytes (" + failures + " of " + RETRIES + ")");
                        pause(failures);
                    } catch (HubException e) {
                        if (!e.unreachable()) throw e;
                        have = ch.size();
                        failures = have > before ? 1 : failures + 1;
                        if (failures > RETRIES) throw e;
                        listener.note(e.getMessage() + "; retrying (" + failures + " of " + RETRIES + ")");
                        pause(failures);
                    }
                }
                if (expected >= 0 && have != expected) {
                    throw corrupt(partial, "is " + have + " bytes, the Hub announced " + expected);
                }
                ch.force(true); // on disk before the rename makes it the complete blob
            }
            verify(partial, sha256);
            Files.move(partial, blob, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return received;
        } catch (IOException e) {
            throw HubCache.cannotWrite(partial, e);
        }
    }

    /** Copies one response body into the file at {@code at}, hashing and reporting as it goes; returns the bytes copied. */
    private long copy(HubClient.Transfer t, FileChannel ch, Path partial, long at, long expected, MessageDigest sha256)
            throws IOException {
        AtomicLong lastData = new AtomicLong(System.nanoTime());
        AtomicBoolean stalled = new AtomicBoolean();
        long limit = config.downloadTimeout().toNanos();
        // a body that stops sending blocks read() for ever: closing it from here makes the read fail, so it is retried
        ScheduledFuture<?> watch = WATCHDOG.scheduleAtFixedRate(() -> {
            if (System.nanoTime() - lastData.get() > limit && stalled.compareAndSet(false, true)) t.close();
        }, 200, 200, TimeUnit.MILLISECONDS);
        long copied = 0;
        byte[] buf = new byte[BUFFER];
        try (InputStream in = t.body()) {
            ch.position(at);
            int n;
            while ((n = in.read(buf)) > 0) {
                lastData.set(System.nanoTime());
                if (expected >= 0 && at + copied + n > expected) throw new IOException("the server sent more than the announced " + expected + " bytes");
                ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                try {
                    while (bb.hasRemaining()) ch.write(bb);
                } catch (IOException e) {
                    throw HubCache.cannotWrite(partial, e); // a full disk is not a network problem: no retry
                }
                if (sha256 != null) sha256.update(buf, 0, n);
                copied += n;
                received += n;
                listener.progress(path, at + copied, expected);
            }
        } catch (IOException e) {
            if (stalled.get()) throw new IOException("no data for " + config.downloadTimeout().toSeconds() + " s", e);
            throw e;
        } finally {
            watch.cancel(false);
        }
        if (stalled.get()) throw new IOException("no data for " + config.downloadTimeout().toSeconds() + " s");
        return copied;
    }

    /** Empties the partial file and the running hash; returns the new length, 0. */
    private long restart(FileChannel ch, MessageDigest sha256, String why) throws IOException {
        listener.note(path + ": " + why);
        ch.truncate(0);
        if (sha256 != null) sha256.reset();
        listener.progress(path, 0, meta.size());
        return 0;
    }

    private void verify(Path file, MessageDigest sha256) throws IOException {
        if (sha256 != null) {
            String actual = HexFormat.of().formatHex(sha256.digest());
            if (!actual.equals(meta.etag())) {
                throw corrupt(file, "has SHA-256 " + actual + ", the Hub says " + meta.etag());
            }
        } else if (meta.isGitSha1()) {
            String actual = gitBlobSha1(file);
            if (!actual.equals(meta.etag())) {
                throw corrupt(file, "has git SHA-1 " + actual + ", the Hub says " + meta.etag());
            }
        }
    }

    /** Git's object id of a file: SHA-1 over {@code "blob <size>\0"} and the content. */
    static String gitBlobSha1(Path file) throws IOException {
        MessageDigest sha1 = digest("SHA-1");
        sha1.update(("blob " + Files.size(file) + "\0").getBytes(StandardCharsets.US_ASCII));
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[BUFFER];
            int n;
            while ((n = in.read(buf)) > 0) sha1.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(sha1.digest());
    }

    private static void hashPrefix(FileChannel ch, long length, MessageDigest sha256) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(BUFFER);
        long pos = 0;
        while (pos < length) {
            buf.clear().limit((int) Math.min(BUFFER, length - pos));
            int n = ch.read(buf, pos);
            if (n <= 0) throw new IOException("the partial file shrank while being read");
            sha256.update(buf.array(), 0, n);
            pos += n;
        }
    }

    private void checkSpace(Path dir, long needed) throws IOException {
        long free = Files.getFileStore(dir).getUsableSpace();
        if (needed > free) {
            throw new HubException(HubException.Kind.LOCAL_IO, ref.where() + ": " + path + ": needs " + needed
                    + " more bytes, but " + dir + " has " + free + " free; free some space or point HF_HUB_CACHE elsewhere");
        }
    }

    private HubException corrupt(Path file, String what) {
        try {
            Files.deleteIfExists(file); // never resume from, or keep, content that failed its check
        } catch (IOException ignored) {
            // the next pull checks it again in any case
        }
        return new HubException(HubException.Kind.CORRUPT, ref.where() + ": " + path + ": the download " + what
                + "; it was deleted: run the pull again (if it keeps failing, the server or a proxy alters the file)");
    }

    private HubException protocol(String what) {
        return new HubException(HubException.Kind.PROTOCOL, ref.where() + ": " + path + ": the server " + what);
    }

    private static String reason(IOException e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? "connection lost" : m;
    }

    private static void pause(int failures) {
        try {
            Thread.sleep(250L * failures);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubException(HubException.Kind.NETWORK, "interrupted", e);
        }
    }

    private static MessageDigest digest(String name) {
        try {
            return MessageDigest.getInstance(name);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(name + " is part of every JDK", e);
        }
    }
}
