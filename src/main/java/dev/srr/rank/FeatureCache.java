package dev.srr.rank;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.srr.SrrException;
import dev.srr.engine.Pooling;
import dev.srr.io.Json;
import dev.srr.io.SafetensorsFile;
import dev.srr.io.SafetensorsWriter;
import dev.srr.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SRR features on disk, one safetensors file: per layer k {@code instruction.L<k>} [lists x hidden] and per layer
 * and pooling {@code candidates.L<k>.<pooling>} [all candidates x hidden], float32, in data order. The header's
 * metadata {@code srr.features} records the model, layers, poolings, encode mode, a hash of the data and each list's
 * id and candidate count, so training and evaluation can check they read features of the same data.
 */
public final class FeatureCache implements AutoCloseable {
    public static final String META_KEY = "srr.features";

    /** What a cache holds; equal headers mean resumable parts. */
    public record Header(String model, int hiddenSize, int numLayers, int[] layers, List<Pooling> poolings, EncodeMode encode,
                         String dataHash, List<String> ids, int[] counts) {

        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", model);
            m.put("hidden_size", hiddenSize);
            m.put("num_layers", numLayers);
            m.put("layers", layers);
            m.put("poolings", poolings.stream().map(Pooling::label).toList());
            m.put("encode", encode.label());
            m.put("data_sha256", dataHash);
            m.put("ids", ids);
            m.put("counts", counts);
            return m;
        }

        static Header fromJson(JsonNode j, String where) {
            try {
                int[] layers = Json.MAPPER.convertValue(j.get("layers"), int[].class);
                List<Pooling> pools = new ArrayList<>();
                j.get("poolings").forEach(p -> pools.add(Pooling.parse(p.asText())));
                List<String> ids = Json.MAPPER.convertValue(j.get("ids"), new TypeReference<List<String>>() {
                });
                return new Header(j.get("model").asText(), j.get("hidden_size").asInt(), j.get("num_layers").asInt(), layers, pools,
                        EncodeMode.parse(j.get("encode").asText()), j.get("data_sha256").asText(), ids,
                        Json.MAPPER.convertValue(j.get("counts"), int[].class));
            } catch (RuntimeException e) {
                throw new SrrException(where + ": '" + META_KEY + "' metadata is missing or malformed");
            }
        }

        public int totalCandidates() {
            int n = 0;
            for (int c : counts) n += c;
            return n;
        }
    }

    private final Path path;
    private final SafetensorsFile file;
    private final Header header;
    private final int[] firstCandidate;
    private Map<String, Integer> index;

    private FeatureCache(Path path, SafetensorsFile file, Header header) {
        this.path = path;
        this.file = file;
        this.header = header;
        this.firstCandidate = new int[header.counts.length + 1];
        for (int i = 0; i < header.counts.length; i++) firstCandidate[i + 1] = firstCandidate[i] + header.counts[i];
    }

    public static FeatureCache open(Path path) {
        SafetensorsFile f = SafetensorsFile.open(path);
        try {
            String meta = f.metadata().get(META_KEY);
            if (meta == null) throw new SrrException(path + ": not an srr feature cache (no '" + META_KEY + "' metadata)");
            return new FeatureCache(path, f, Header.fromJson(Json.parse(meta, path + " metadata"), path.toString()));
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
    }

    public Header header() {
        return header;
    }

    public Path path() {
        return path;
    }

    public boolean hasLayer(int layer) {
        for (int l : header.layers) if (l == layer) return true;
        return false;
    }

    /** The features of list {@code i} at {@code layer} with candidate {@code pooling}. */
    public float[] instruction(int i, int layer) {
        return rows(ListFeatures.instructionKey(layer), i, 1);
    }

    public float[][] candidates(int i, int layer, Pooling pooling) {
        float[] flat = rows(ListFeatures.candidatesKey(layer, pooling), firstCandidate[i], header.counts[i]);
        int d = header.hiddenSize;
        float[][] out = new float[header.counts[i]][];
        for (int c = 0; c < out.length; c++) out[c] = java.util.Arrays.copyOfRange(flat, c * d, (c + 1) * d);
        return out;
    }

    private float[] rows(String name, int first, int count) {
        Tensor t = file.tensors().get(name);
        if (t == null) {
            throw new SrrException(path + ": no tensor '" + name + "' (cached layers " + java.util.Arrays.toString(header.layers)
                    + ", poolings " + header.poolings.stream().map(Pooling::label).toList() + ")");
        }
        float[] out = new float[count * header.hiddenSize];
        t.copyTo((long) first * header.hiddenSize, out);
        return out;
    }

    /** Position of list {@code id} in the cache, or -1. */
    public int indexOf(String id) {
        if (index == null) {
            index = new java.util.HashMap<>();
            for (int i = 0; i < header.ids.size(); i++) index.put(header.ids.get(i), i);
        }
        return index.getOrDefault(id, -1);
    }

    /** Candidates cached for list {@code i}. */
    public int candidateCount(int i) {
        return header.counts[i];
    }

    @Override
    public void close() {
        file.close();
    }

    /** Writes one part (a range of lists) of a cache. */
    static void writePart(Path file, Header header, List<ListFeatures> lists) {
        SafetensorsWriter w = new SafetensorsWriter().metadata(META_KEY, Json.write(header.toJson()));
        int d = header.hiddenSize;
        int candidates = lists.stream().mapToInt(ListFeatures::candidates).sum();
        for (String key : tensorNames(header)) {
            boolean instr = key.startsWith("instruction.");
            long rows = instr ? lists.size() : candidates;
            w.add(key, dev.srr.tensor.DType.F32, new long[]{rows, d}, out -> {
                for (ListFeatures lf : lists) {
                    float[] v = lf.vectors().get(key);
                    SafetensorsWriter.writeFloats(out, v, 0, v.length);
                }
            });
        }
        w.write(file);
    }

    static List<String> tensorNames(Header h) {
        List<String> names = new ArrayList<>();
        for (int l : h.layers) names.add(ListFeatures.instructionKey(l));
        for (int l : h.layers) for (Pooling p : h.poolings) names.add(ListFeatures.candidatesKey(l, p));
        return names;
    }

    /** Concatenates part files (each a range of lists, in order) into the final cache, atomically. */
    static void merge(List<Path> parts, Header header, Path target) {
        List<SafetensorsFile> files = new ArrayList<>();
        try {
            for (Path p : parts) files.add(SafetensorsFile.open(p));
            SafetensorsWriter w = new SafetensorsWriter().metadata(META_KEY, Json.write(header.toJson()));
            int d = header.hiddenSize;
            for (String key : tensorNames(header)) {
                long rows = key.startsWith("instruction.") ? header.ids.size() : header.totalCandidates();
                w.add(key, dev.srr.tensor.DType.F32, new long[]{rows, d}, out -> {
                    for (SafetensorsFile f : files) {
                        var seg = f.get(key).data();
                        byte[] buf = new byte[1 << 16];
                        for (long off = 0; off < seg.byteSize(); off += buf.length) {
                            int n = (int) Math.min(buf.length, seg.byteSize() - off);
                            java.lang.foreign.MemorySegment.copy(seg, java.lang.foreign.ValueLayout.JAVA_BYTE, off, buf, 0, n);
                            out.write(buf, 0, n);
                        }
                    }
                });
            }
            w.write(target);
        } finally {
            files.forEach(SafetensorsFile::close);
        }
    }

    /** sha256 of a file's bytes, hex. */
    public static String sha256(Path file) {
        try (var in = Files.newInputStream(file)) {
            var md = java.security.MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new SrrException(file + ": cannot read: " + e.getMessage());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover part is harmless: the next run checks its header
        }
    }

}
