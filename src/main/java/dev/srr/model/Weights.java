package dev.srr.model;

import dev.srr.SrrException;
import dev.srr.io.Json;
import dev.srr.io.JsonFields;
import dev.srr.io.SafetensorsFile;
import dev.srr.tensor.Tensor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * All tensors of a checkpoint by their Hugging Face names: from a folder with one {@code model.safetensors} or
 * shards listed in {@code model.safetensors.index.json} ({@link #open}), or from a GGUF file
 * ({@link GgufWeights}). The memory behind the tensors (mapped files, dequantized copies) lives until
 * {@link #close()}.
 */
public final class Weights implements AutoCloseable {
    private final Path folder;
    private final List<? extends AutoCloseable> resources;
    private final Map<String, Tensor> tensors;
    private final Map<String, Path> origin;

    /**
     * @param source    the folder or file named in messages about a missing tensor
     * @param resources what to close with the weights (mapped files, arenas), closed in order
     * @param tensors   tensors by Hugging Face name
     * @param origin    the file each tensor came from (for messages)
     */
    Weights(Path source, List<? extends AutoCloseable> resources, Map<String, Tensor> tensors, Map<String, Path> origin) {
        this.folder = source;
        this.resources = resources;
        this.tensors = tensors;
        this.origin = origin;
    }

    public static Weights open(Path folder) {
        Path index = folder.resolve("model.safetensors.index.json");
        Path single = folder.resolve("model.safetensors");
        List<Path> shards = new ArrayList<>();
        Map<String, String> expected = new LinkedHashMap<>();
        if (Files.exists(index)) {
            JsonFields weightMap = JsonFields.of(index, Json.read(index)).object("weight_map");
            weightMap.node().fields().forEachRemaining(e -> {
                String shardName = weightMap.requiredText(e.getKey());
                expected.put(e.getKey(), shardName);
                Path shard = shardPath(folder, index, e.getKey(), shardName);
                if (!shards.contains(shard)) shards.add(shard);
            });
        } else if (Files.exists(single)) {
            shards.add(single);
        } else {
            throw new SrrException(folder + ": no model.safetensors or model.safetensors.index.json");
        }
        List<SafetensorsFile> files = new ArrayList<>();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, Path> origin = new LinkedHashMap<>();
        try {
            for (Path shard : shards) {
                SafetensorsFile f = SafetensorsFile.open(shard);
                files.add(f);
                for (var e : f.tensors().entrySet()) {
                    Path before = origin.put(e.getKey(), shard);
                    if (before != null) throw new SrrException(shard + ": tensor '" + e.getKey() + "' also appears in " + before);
                    tensors.put(e.getKey(), e.getValue());
                }
            }
            for (var e : expected.entrySet()) {
                Path listed = folder.resolve(e.getValue());
                Path actual = origin.get(e.getKey());
                if (actual == null) {
                    throw new SrrException(listed + ": tensor '" + e.getKey() + "' listed in the index is missing");
                }
                if (!actual.equals(listed)) {
                    throw new SrrException(index + ": weight_map puts tensor '" + e.getKey() + "' in " + e.getValue()
                            + ", but it is in " + actual.getFileName());
                }
            }
        } catch (RuntimeException e) {
            files.forEach(SafetensorsFile::close);
            throw e;
        }
        return new Weights(folder, files, tensors, origin);
    }

    /**
     * A shard named by the index: a plain file name inside the checkpoint folder, as Hugging Face writes them. A
     * path that climbs out of the folder (or is absolute) is refused rather than followed.
     */
    private static Path shardPath(Path folder, Path index, String tensor, String name) {
        Path p = Path.of(name);
        if (name.isEmpty() || p.isAbsolute() || p.getNameCount() != 1 || name.equals("..") || name.equals(".")) {
            throw new SrrException(index + ": weight_map entry '" + tensor + "' names \"" + name
                    + "\", not a file in the checkpoint folder");
        }
        return folder.resolve(name);
    }

    public boolean has(String name) {
        return tensors.containsKey(name);
    }

    /** The tensor {@code name}, which must have exactly {@code shape}. */
    public Tensor require(String name, long... shape) {
        Tensor t = tensors.get(name);
        if (t == null) throw new SrrException(folder + ": tensor '" + name + "' is missing from the checkpoint");
        if (!Arrays.equals(t.shape(), shape)) {
            throw new SrrException(origin.get(name) + ": tensor '" + name + "' has shape " + t.shapeString()
                    + ", expected " + Arrays.toString(shape));
        }
        return t;
    }

    /**
     * These weights with the tensors of {@code replaced} swapped in (same names); {@code extra} (the memory behind
     * them) is closed first when the result is closed, then what these weights hold. The result takes over this
     * object's resources: close only the result.
     */
    Weights with(Map<String, Tensor> replaced, AutoCloseable extra) {
        Map<String, Tensor> all = new LinkedHashMap<>(tensors);
        all.putAll(replaced);
        List<AutoCloseable> res = new ArrayList<>();
        res.add(extra);
        res.addAll(resources);
        return new Weights(folder, res, all, origin);
    }

    public Map<String, Tensor> all() {
        return tensors;
    }

    public long totalBytes() {
        return tensors.values().stream().mapToLong(t -> t.data().byteSize()).sum();
    }

    @Override
    public void close() {
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                throw new IllegalStateException("cannot release checkpoint memory", e);
            }
        }
    }
}
