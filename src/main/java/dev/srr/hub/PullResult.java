package dev.srr.hub;

import java.nio.file.Path;
import java.util.List;

/**
 * What a pull left in the cache.
 *
 * @param ref      the model as asked for
 * @param commit   the commit the revision resolved to
 * @param snapshot the snapshot folder, {@code HF_HUB_CACHE/models--ORG--NAME/snapshots/COMMIT}
 * @param files    the selected files, in the order they were handled
 * @param fromCacheOnly true when the Hub was not asked (offline mode, or unreachable and the cache sufficed)
 */
public record PullResult(ModelRef ref, String commit, Path snapshot, List<PulledFile> files, boolean fromCacheOnly) {

    /**
     * One file of the snapshot.
     *
     * @param path     its path in the repository
     * @param size     its size in bytes
     * @param received bytes that came over the network for it in this pull (less than size when resumed)
     * @param cached   true when the cache already held it (no download)
     */
    public record PulledFile(String path, long size, long received, boolean cached) {
    }

    public PullResult {
        files = List.copyOf(files);
    }

    /** Bytes received over the network in this pull. */
    public long receivedBytes() {
        return files.stream().mapToLong(PulledFile::received).sum();
    }

    /** Bytes of the files the cache already held. */
    public long cachedBytes() {
        return files.stream().filter(PulledFile::cached).mapToLong(PulledFile::size).sum();
    }

    /** Number of files downloaded (fully or in part) in this pull. */
    public long downloadedFiles() {
        return files.stream().filter(f -> !f.cached()).count();
    }

    /** The local path of {@code path} in the snapshot. */
    public Path local(String path) {
        return snapshot.resolve(path);
    }
}
