package dev.srr.hub;

import com.fasterxml.jackson.databind.JsonNode;
import dev.srr.SrrException;
import dev.srr.io.Json;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One revision of a repository as the cache holds it, and which of its files a {@link FileSelection} picks. Used
 * offline, and to answer "is this model already here?" without asking the Hub.
 */
final class CachedSnapshot {
    private final HubCache cache;
    private final String commit;
    private final List<String> files;

    private CachedSnapshot(HubCache cache, String commit, List<String> files) {
        this.cache = cache;
        this.commit = commit;
        this.files = files;
    }

    /** The snapshot {@code revision} resolves to in the cache, or null when the cache has none. */
    static CachedSnapshot find(HubCache cache, String revision) {
        String commit = cache.commitFor(revision);
        if (commit == null || !Files.isDirectory(cache.snapshot(commit))) return null;
        return new CachedSnapshot(cache, commit, cache.snapshotFiles(commit));
    }

    String commit() {
        return commit;
    }

    Path folder() {
        return cache.snapshot(commit);
    }

    List<String> files() {
        return files;
    }

    /**
     * The files {@code selection} picks, when the snapshot holds all of them.
     *
     * <p>For srr's default set: config.json, the shards the index names (or model.safetensors), and whichever of the
     * other default files are present (they are optional). For include patterns: the matching files, at least one.
     *
     * @return the selected paths, or null when something is missing ({@link #missing} says what)
     */
    List<String> select(FileSelection selection) {
        return missing(selection).isEmpty() ? selected(selection) : null;
    }

    /** What the snapshot lacks for {@code selection}; empty when nothing. */
    List<String> missing(FileSelection selection) {
        List<String> missing = new ArrayList<>();
        if (!selection.isDefault()) {
            if (files.stream().noneMatch(selection::includes)) missing.add("a file matching " + selection.describe());
            return missing;
        }
        require("config.json", selection, missing);
        if (has(FileSelection.INDEX)) {
            for (String shard : shards()) require(shard, selection, missing);
        } else if (!selection.excludes(FileSelection.SINGLE) && !has(FileSelection.SINGLE)) {
            missing.add(FileSelection.SINGLE + " (or " + FileSelection.INDEX + " and its shards)");
        }
        return missing;
    }

    private List<String> selected(FileSelection selection) {
        if (!selection.isDefault()) return files.stream().filter(selection::includes).toList();
        Set<String> out = new LinkedHashSet<>();
        for (String name : FileSelection.DEFAULT_METADATA) if (has(name)) out.add(name);
        if (has(FileSelection.INDEX)) {
            out.add(FileSelection.INDEX);
            out.addAll(shards());
        } else if (has(FileSelection.SINGLE)) {
            out.add(FileSelection.SINGLE);
        }
        out.removeIf(selection::excludes);
        return List.copyOf(out);
    }

    private void require(String name, FileSelection selection, List<String> missing) {
        if (!selection.excludes(name) && !has(name)) missing.add(name);
    }

    private boolean has(String path) {
        return files.contains(path);
    }

    /** The shard files named by the snapshot's index, in order of first mention. */
    List<String> shards() {
        return shardsOf(cache.snapshotFile(commit, FileSelection.INDEX));
    }

    /**
     * The distinct shard names in an index's {@code weight_map}.
     *
     * @throws SrrException naming the index when it is not JSON, has no weight_map, or names a shard outside the folder
     */
    static List<String> shardsOf(Path index) {
        JsonNode map = Json.read(index).path("weight_map");
        if (!map.isObject()) throw new SrrException(index + ": no \"weight_map\" object");
        Set<String> shards = new LinkedHashSet<>();
        for (JsonNode v : map) {
            if (!v.isTextual() || !RepoPaths.isSafe(v.asText())) {
                throw new SrrException(index + ": weight_map names a shard that is not a file in the folder: " + v);
            }
            shards.add(v.asText());
        }
        return List.copyOf(shards);
    }
}
