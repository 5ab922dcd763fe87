package dev.srr.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.srr.SrrException;
import dev.srr.io.Json;
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
        if (Files.isRegularFile(index)) {
            JsonNode map = Json.read(index).get("weight_map");
            if (map == null || !map.isObject()) throw new SrrException(index + ": missing object 'weight_map'");
            map.fields().forEachRemaining(e -> {
                if (!e.getValue().isTextual()) throw new SrrException(index + ": weight_map entry '" + e.getKey() + "' must name a file");
                expected.put(e.getKey(), e.getValue().asText());
                Path shard = folder.resolve(e.getValue().asText());
                if (!shards.contains(shard)) shards.add(shard);
            });
        } else if (Files.isRegularFile(single)) {
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
                if (!tensors.containsKey(e.getKey())) {
                    throw new SrrException(folder.resolve(e.getValue()) + ": tensor '" + e.getKey() + "' listed in the index is missing");
                }
            }
        } catch (RuntimeException e) {
            files.forEach(SafetensorsFile::close);
            throw e;
        }
        return new Weights(folder, files, tensors, origin);
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
