package dev.srr.hub;

import dev.srr.io.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * One repository's folder in the {@code huggingface_hub} cache, laid out as Python writes it so that both read
 * what either wrote:
 *
 * <pre>
 * $HF_HUB_CACHE/
 *   CACHEDIR.TAG
 *   .locks/models--ORG--NAME/&lt;etag&gt;.lock     one lock file per blob being downloaded
 *   models--ORG--NAME/
 *     blobs/&lt;etag&gt;                            file contents, named by ETag (SHA-256 for LFS files, git SHA-1 else)
 *     blobs/&lt;etag&gt;.incomplete                 a download in progress, resumed from its length
 *     snapshots/&lt;commit&gt;/&lt;path&gt;              relative symlinks to ../../blobs/&lt;etag&gt; (one more ../ per folder)
 *     refs/&lt;revision&gt;                         the commit a branch or tag pointed to, no newline
 *     .no_exist/&lt;commit&gt;/&lt;path&gt;              empty marker: the file is known not to exist at that commit
 * </pre>
 *
 * Every change is a rename or the creation of a link, so a reader never sees half a file under a final name.
 */
public final class HubCache {
    private final Path root;
    private final Path repoDir;
    private final Path locks;

    /** The cache folder {@code root} for the repository of {@code ref}. */
    public HubCache(Path root, ModelRef ref) {
        this.root = root;
        this.repoDir = root.resolve(ref.folderName());
        this.locks = root.resolve(".locks").resolve(ref.folderName());
    }

    public Path root() {
        return root;
    }

    public Path repoDir() {
        return repoDir;
    }

    public Path blob(String etag) {
        return repoDir.resolve("blobs").resolve(etag);
    }

    public Path incomplete(String etag) {
        return repoDir.resolve("blobs").resolve(etag + ".incomplete");
    }

    public Path lockFile(String etag) {
        return locks.resolve(etag + ".lock");
    }

    public Path snapshot(String commit) {
        return repoDir.resolve("snapshots").resolve(commit);
    }

    public Path snapshotFile(String commit, String path) {
        return snapshot(commit).resolve(path);
    }

    private Path ref(String revision) {
        return repoDir.resolve("refs").resolve(revision);
    }

    private Path noExist(String commit, String path) {
        return repoDir.resolve(".no_exist").resolve(commit).resolve(path);
    }

    /**
     * The commit {@code revision} stands for in this cache: the revision itself when it is a commit hash, else
     * what {@code refs/<revision>} holds; null when the cache has never seen it.
     */
    public String commitFor(String revision) {
        if (ModelRef.isCommit(revision)) return revision;
        try {
            String text = Files.readString(ref(revision), StandardCharsets.UTF_8).strip();
            return ModelRef.isCommit(text) ? text : null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Records that {@code revision} points at {@code commit} (nothing to do for a commit hash, or when the ref already
     * says so). The snapshot folder is created first: Python's cache scanner rejects a ref without one.
     */
    public void writeRef(String revision, String commit) {
        if (revision.equals(commit) || commit.equals(commitFor(revision))) return;
        try {
            Files.createDirectories(snapshot(commit));
        } catch (IOException e) {
            throw cannotWrite(snapshot(commit), e);
        }
        // no trailing newline: huggingface_hub reads the file as is and uses its text as the commit
        AtomicFiles.writeString(ref(revision), commit);
    }

    /** Marks {@code path} as known not to exist at {@code commit}, as Python does after a 404 (best effort). */
    public void markNoExist(String commit, String path) {
        Path marker = noExist(commit, path);
        if (Files.exists(marker)) return;
        try {
            Files.createDirectories(marker.getParent());
            Files.createFile(marker);
        } catch (FileAlreadyExistsException ignored) {
            // another process marked it first
        } catch (IOException ignored) {
            // a marker only saves a later look-up: failing to write one is not worth failing the pull
        }
    }

    /** True when {@code path} was marked as not existing at {@code commit}. */
    public boolean knownMissing(String commit, String path) {
        return Files.isRegularFile(noExist(commit, path));
    }

    /** True when the snapshot holds {@code path} and it leads to a file (a broken link counts as missing). */
    public boolean hasFile(String commit, String path) {
        return Files.isRegularFile(snapshotFile(commit, path));
    }

    /** Paths (with {@code /}) of the files the snapshot holds, sorted; empty when there is no snapshot. */
    public List<String> snapshotFiles(String commit) {
        Path dir = snapshot(commit);
        if (!Files.isDirectory(dir)) return List.of();
        List<String> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile).forEach(p -> out.add(dir.relativize(p).toString().replace('\\', '/')));
        } catch (IOException | java.io.UncheckedIOException e) {
            return List.of();
        }
        out.sort(null);
        return out;
    }

    /**
     * Makes {@code snapshots/<commit>/<path>} a relative symlink to {@code blobs/<etag>}. Where the file system has
     * no symbolic links the blob is copied instead (as huggingface_hub does on Windows without developer mode).
     */
    public void link(String commit, String path, String etag) {
        Path target = snapshotFile(commit, path);
        Path blob = blob(etag);
        try {
            Files.createDirectories(target.getParent());
            Path relative = target.getParent().relativize(blob);
            try {
                Files.createSymbolicLink(target, relative);
                return;
            } catch (FileAlreadyExistsException e) {
                if (Files.isSymbolicLink(target) && Files.readSymbolicLink(target).equals(relative)) return;
                // a stale file or a link to another blob: replace it in one rename
                Path tmp = sibling(target);
                Files.createSymbolicLink(tmp, relative);
                AtomicFiles.move(tmp, target);
            } catch (UnsupportedOperationException | FileSystemException e) {
                if (e instanceof NoSuchFileException) throw e;
                Path tmp = sibling(target);
                Files.copy(blob, tmp);
                AtomicFiles.move(tmp, target);
            }
        } catch (IOException e) {
            throw cannotWrite(target, e);
        }
    }

    /** Writes {@code CACHEDIR.TAG} in the cache root once, so backup tools skip the cache (as Python does). */
    public void tagCacheDir() {
        Path tag = root.resolve("CACHEDIR.TAG");
        if (Files.exists(tag)) return;
        try {
            Files.createDirectories(root);
            AtomicFiles.writeString(tag, "Signature: 8a477f597d28d172789f06886806bc55\n"
                    + "# This file is a cache directory tag created by srr for the Hugging Face Hub cache.\n"
                    + "# For information about cache directory tags, see: https://bford.info/cachedir/\n");
        } catch (IOException | RuntimeException ignored) {
            // only a courtesy to backup tools
        }
    }

    static HubException cannotWrite(Path where, IOException e) {
        String reason = e instanceof NoSuchFileException ? "missing " + e.getMessage()
                : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new HubException(HubException.Kind.LOCAL_IO, where + ": cannot write to the Hugging Face cache (" + reason
                + "); check its permissions and free space, or point HF_HUB_CACHE elsewhere", e);
    }

    private static Path sibling(Path target) {
        return target.resolveSibling("." + target.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
    }
}
