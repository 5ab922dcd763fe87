package dev.srr.hub;

import dev.srr.SrrException;
import dev.srr.Warnings;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Pulls a model repository's files into the {@code huggingface_hub} cache, as {@code hf download} does: the
 * revision is resolved to a commit, each selected file's ETag is looked up, and files whose blob is not in the
 * cache yet are downloaded (under a per-blob lock, through {@code blobs/<etag>.incomplete}) and linked into
 * {@code snapshots/<commit>/}. A file the snapshot already holds costs no request beyond the listing.
 *
 * <p>srr's default selection pulls config.json, the tokenizer and generation files present, and the weights:
 * the shards {@code model.safetensors.index.json} names (not every {@code *.safetensors}: some repositories also
 * carry a {@code consolidated.safetensors} of the same weights), or {@code model.safetensors}.
 *
 * <p>Offline ({@link HubConfig#offline()}) the cache alone answers, and so it does, with a warning, when the Hub
 * cannot be reached and the cache holds what was asked for.
 */
public final class Puller {
    private final HubConfig config;
    private final PullListener listener;
    private final HubClient client;

    public Puller(HubConfig config, PullListener listener) {
        this.config = config;
        this.listener = listener;
        this.client = new HubClient(config);
    }

    /**
     * Pulls the files of {@code ref} that {@code selection} picks.
     *
     * @param single true when the selection must match exactly one file (a {@code :FILE} spec)
     * @return what the snapshot holds now
     * @throws HubException naming the repository (and file) and what to do: not found, gated, no matching file,
     *                      unreachable and not cached, a download that failed or did not match its checksum
     */
    public PullResult pull(ModelRef ref, FileSelection selection, boolean single) {
        HubCache cache = new HubCache(config.cacheDir(), ref);
        if (config.offline()) return fromCache(ref, selection, single, "HF_HUB_OFFLINE is set");
        HubClient.Listing listing;
        try {
            listing = client.listing(ref);
        } catch (HubException e) {
            if (!e.unreachable()) throw e;
            PullResult cached;
            try {
                cached = fromCache(ref, selection, single, "the Hub cannot be reached");
            } catch (HubException notCached) {
                throw e;
            }
            Warnings.warn(e.getMessage() + "; using the cached snapshot " + cached.commit());
            return cached;
        }
        String commit = listing.commit();
        Map<String, HubClient.RepoFile> remote = new LinkedHashMap<>();
        for (HubClient.RepoFile f : listing.files()) remote.put(f.path(), f);

        cache.tagCacheDir();
        List<PullResult.PulledFile> done = new ArrayList<>();
        if (selection.isDefault()) {
            List<String> metadata = new ArrayList<>();
            for (String name : FileSelection.DEFAULT_METADATA) {
                if (remote.containsKey(name)) metadata.add(name);
                else cache.markNoExist(commit, name); // as transformers records an optional file's absence
            }
            if (!remote.containsKey("config.json")) throw nothingToLoad(ref, remote, "no config.json");
            String weights = remote.containsKey(FileSelection.INDEX) ? FileSelection.INDEX
                    : remote.containsKey(FileSelection.SINGLE) ? FileSelection.SINGLE : null;
            if (weights == null) throw nothingToLoad(ref, remote, "no model.safetensors or model.safetensors.index.json");
            metadata.add(weights);
            cache.writeRef(ref.revision(), commit);
            done.addAll(fetch(cache, ref, commit, remote, without(metadata, selection)));
            if (weights.equals(FileSelection.INDEX)) {
                List<String> shards;
                try {
                    shards = CachedSnapshot.shardsOf(cache.snapshotFile(commit, FileSelection.INDEX));
                } catch (SrrException e) {
                    throw new HubException(HubException.Kind.PROTOCOL, ref.where() + ": " + e.getMessage(), e);
                }
                for (String shard : shards) {
                    if (!remote.containsKey(shard)) {
                        throw new HubException(HubException.Kind.NOTHING_TO_PULL, ref.where() + ": " + FileSelection.INDEX
                                + " names the shard " + shard + ", which the repository does not hold");
                    }
                }
                done.addAll(fetch(cache, ref, commit, remote, without(shards, selection)));
            }
        } else {
            List<String> chosen = remote.keySet().stream().filter(selection::includes).toList();
            if (chosen.isEmpty()) throw noMatch(ref, remote, selection);
            if (single && chosen.size() > 1) throw ambiguous(ref, chosen);
            cache.writeRef(ref.revision(), commit);
            done.addAll(fetch(cache, ref, commit, remote, chosen));
        }
        return new PullResult(ref, commit, cache.snapshot(commit), done, false);
    }

    /**
     * What the cache alone holds of {@code ref} for {@code selection}, without asking the Hub.
     *
     * @param why why the Hub is not asked, for the message when the cache falls short
     * @throws HubException (NOT_CACHED) naming what is missing and how to get it
     */
    public PullResult fromCache(ModelRef ref, FileSelection selection, boolean single, String why) {
        HubCache cache = new HubCache(config.cacheDir(), ref);
        CachedSnapshot snap = CachedSnapshot.find(cache, ref.revision());
        String hint = why.startsWith("HF_HUB_OFFLINE") ? ": unset it and run `srr pull " + ref + "`" : "";
        if (snap == null) {
            throw new HubException(HubException.Kind.NOT_CACHED, ref.where() + " is not in the Hugging Face cache "
                    + config.cacheDir() + ", and " + why + hint);
        }
        List<String> missing = snap.missing(selection);
        if (!missing.isEmpty()) {
            throw new HubException(HubException.Kind.NOT_CACHED, ref.where() + ": the cached snapshot " + snap.commit()
                    + " lacks " + String.join(", ", missing) + ", and " + why + hint);
        }
        List<String> chosen = snap.select(selection);
        if (single && chosen.size() > 1) throw ambiguous(ref, chosen);
        List<PullResult.PulledFile> files = new ArrayList<>();
        for (String p : chosen) files.add(new PullResult.PulledFile(p, size(cache, snap.commit(), p), 0, true));
        return new PullResult(ref, snap.commit(), snap.folder(), files, true);
    }

    /** Looks up, then downloads where needed, one round of files. */
    private List<PullResult.PulledFile> fetch(HubCache cache, ModelRef ref, String commit,
                                              Map<String, HubClient.RepoFile> remote, List<String> paths) {
        record Step(String path, HubClient.FileMeta meta, long size, boolean cached) {
        }
        List<Step> steps = new ArrayList<>();
        for (String path : paths) {
            if (cache.hasFile(commit, path)) {
                steps.add(new Step(path, null, size(cache, commit, path), true));
                continue;
            }
            HubClient.FileMeta meta;
            try {
                meta = client.head(ref, commit, path);
            } catch (HubException e) {
                if (e.kind() == HubException.Kind.ENTRY_NOT_FOUND) cache.markNoExist(commit, path);
                throw e;
            }
            long size = meta.size() >= 0 ? meta.size() : remote.get(path).size();
            if (Files.isRegularFile(cache.blob(meta.etag()))) {
                cache.link(commit, path, meta.etag()); // the same content under another name or commit
                steps.add(new Step(path, meta, size(cache, commit, path), true));
            } else {
                steps.add(new Step(path, new HubClient.FileMeta(meta.etag(), size, meta.commit()), size, false));
            }
        }
        listener.planned(ref, commit, steps.stream().map(s -> new PullListener.PlannedFile(s.path(), s.size(), s.cached())).toList());
        List<PullResult.PulledFile> out = new ArrayList<>();
        for (Step s : steps) {
            if (s.cached()) {
                out.add(new PullResult.PulledFile(s.path(), s.size(), 0, true));
                continue;
            }
            long received = download(cache, ref, commit, s.path(), s.meta());
            long size = size(cache, commit, s.path());
            listener.finished(s.path(), size, received);
            out.add(new PullResult.PulledFile(s.path(), size, received, received == 0));
        }
        return out;
    }

    /** Downloads one blob under its lock (unless another pull finished it meanwhile) and links it into the snapshot. */
    @SuppressWarnings("try") // the lock is held for the block, never referenced
    private long download(HubCache cache, ModelRef ref, String commit, String path, HubClient.FileMeta meta) {
        try (BlobLock ignored = BlobLock.acquire(cache.lockFile(meta.etag()), () -> listener.waiting(path))) {
            long received = 0;
            if (!Files.isRegularFile(cache.blob(meta.etag()))) {
                received = new BlobDownload(client, config, cache, ref, commit, path, meta, listener).run();
            }
            cache.link(commit, path, meta.etag());
            return received;
        } catch (IOException e) {
            throw HubCache.cannotWrite(cache.lockFile(meta.etag()), e);
        }
    }

    private static List<String> without(List<String> paths, FileSelection selection) {
        return paths.stream().filter(p -> !selection.excludes(p)).toList();
    }

    private static long size(HubCache cache, String commit, String path) {
        try {
            return Files.size(cache.snapshotFile(commit, path));
        } catch (IOException e) {
            return -1;
        }
    }

    private static HubException nothingToLoad(ModelRef ref, Map<String, HubClient.RepoFile> remote, String what) {
        List<String> ggufs = remote.keySet().stream().filter(p -> p.endsWith(".gguf")).toList();
        String hint = ggufs.isEmpty()
                ? "srr loads safetensors checkpoints and GGUF files; the repository holds " + sample(remote.keySet().stream().toList())
                : "it holds GGUF files: pull one with `srr pull " + ref.repo() + (ref.revision().equals(ModelRef.DEFAULT_REVISION)
                ? "" : "@" + ref.revision()) + ":FILE` (for example :" + ggufs.getFirst() + "); files: " + sample(ggufs);
        return new HubException(HubException.Kind.NOTHING_TO_PULL, ref.where() + ": " + what + "; " + hint);
    }

    private static HubException noMatch(ModelRef ref, Map<String, HubClient.RepoFile> remote, FileSelection selection) {
        return new HubException(HubException.Kind.NOTHING_TO_PULL, ref.where() + ": no file matches "
                + selection.describe() + "; the repository holds " + sample(remote.keySet().stream().toList()));
    }

    private static HubException ambiguous(ModelRef ref, List<String> chosen) {
        return new HubException(HubException.Kind.NOTHING_TO_PULL, ref.where() + ": " + chosen.size() + " files match ':"
                + ref.file() + "' (" + sample(chosen) + "); name one of them after the colon");
    }

    /** Up to eight names and how many more, for messages. */
    static String sample(List<String> names) {
        if (names.isEmpty()) return "no files";
        String head = names.stream().limit(8).collect(Collectors.joining(", "));
        return names.size() > 8 ? head + " and " + (names.size() - 8) + " more" : head;
    }
}
