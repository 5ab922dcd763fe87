package dev.srr.features;

import com.fasterxml.jackson.databind.JsonNode;
import dev.srr.SrrException;
import dev.srr.data.Labeler;
import dev.srr.data.SafetyList;
import dev.srr.engine.Capture;
import dev.srr.engine.Pooling;
import dev.srr.io.Json;
import dev.srr.io.JsonFields;
import dev.srr.io.SafetensorsFile;
import dev.srr.io.SafetensorsWriter;
import dev.srr.model.ModelConfig;
import dev.srr.rank.FeatureList;
import dev.srr.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * SRR features on disk, one safetensors file: per layer k {@code instruction.L<k>} [lists x hidden] and per layer
 * and pooling {@code candidates.L<k>.<pooling>} [all candidates x hidden], float32, in data order. The header's
 * metadata {@code srr.features} records the model, layers, poolings, encode mode, a hash of the data and each list's
 * id and candidate count, so training and evaluation can check they read features of the same data.
 */
public final class FeatureCache implements FeatureSource {
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

        /**
         * Reads and checks the {@code srr.features} metadata of {@code file}: positive sizes, layers within the
         * model, distinct layers, poolings and list ids, one non-negative candidate count per list.
         */
        static Header fromJson(JsonNode j, String file) {
            JsonFields f = JsonFields.of(file + " metadata '" + META_KEY + "'", j);
            int hidden = f.requiredInt("hidden_size", 1, Integer.MAX_VALUE);
            int numLayers = f.requiredInt("num_layers", 1, Integer.MAX_VALUE);
            int[] layers = f.intArray("layers", 0, numLayers);
            List<Pooling> pools = f.textArray("poolings", Pooling::parse);
            List<String> ids = f.textArray("ids");
            int[] counts = f.intArray("counts", 0, Integer.MAX_VALUE);
            requireDistinct(f, "layers", Arrays.stream(layers).boxed().toList());
            requireDistinct(f, "poolings", pools);
            requireDistinct(f, "ids", ids);
            if (layers.length == 0) throw f.error("layers", "is empty");
            if (pools.isEmpty()) throw f.error("poolings", "is empty");
            if (counts.length != ids.size()) {
                throw f.error("counts", "has " + counts.length + " entries for " + ids.size() + " list ids");
            }
            long total = 0;
            for (int c : counts) {
                total += c;
                // one list's candidates are read into one float array
                if ((long) c * hidden > Integer.MAX_VALUE - 8) throw f.error("counts", "holds a list too large to read (" + c + " x " + hidden + ")");
            }
            if (total > Integer.MAX_VALUE) throw f.error("counts", "adds up to more candidates than srr indexes (" + total + ")");
            return new Header(f.requiredText("model"), hidden, numLayers, layers, pools,
                    f.requiredText("encode", EncodeMode::parse), f.requiredText("data_sha256"), ids, counts);
        }

        private static void requireDistinct(JsonFields f, String field, List<?> values) {
            Set<Object> seen = new HashSet<>();
            for (Object v : values) {
                if (!seen.add(v)) throw f.error(field, "names " + v + " twice");
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

    /**
     * Opens a cache and checks it whole before anything is read: its metadata (see {@link Header}) and one float32
     * tensor per layer and pooling with the shape the metadata implies.
     *
     * @throws SrrException naming the file and the field or tensor at fault
     */
    public static FeatureCache open(Path path) {
        SafetensorsFile f = SafetensorsFile.open(path);
        try {
            String meta = f.metadata().get(META_KEY);
            if (meta == null) throw new SrrException(path + ": not an srr feature cache (no '" + META_KEY + "' metadata)");
            Header header = Header.fromJson(Json.parseStrict(meta, path + " metadata '" + META_KEY + "'"), path.toString());
            for (Stored s : tensors(header)) {
                String name = s.name();
                long rows = s.rows(header);
                Tensor t = f.get(name);
                if (t.dtype() != dev.srr.tensor.DType.F32 || !Arrays.equals(t.shape(), new long[]{rows, header.hiddenSize})) {
                    throw new SrrException(path + ": tensor '" + name + "' is " + t.dtype() + " " + t.shapeString()
                            + ", the metadata implies F32 [" + rows + ", " + header.hiddenSize + "]");
                }
            }
            return new FeatureCache(path, f, header);
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
    }

    public Header header() {
        return header;
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public String model() {
        return header.model;
    }

    @Override
    public int hiddenSize() {
        return header.hiddenSize;
    }

    @Override
    public int numLayers() {
        return header.numLayers;
    }

    @Override
    public int[] layers() {
        return header.layers.clone();
    }

    @Override
    public List<Pooling> poolings() {
        return header.poolings;
    }

    @Override
    public EncodeMode encode() {
        return header.encode;
    }

    /**
     * {@inheritDoc} A list the cache holds must have as many candidates as in the data: the cache was made from
     * the same file.
     */
    @Override
    public FeatureSet join(List<SafetyList> data, Path dataFile, int layer, Pooling pooling, Labeler labeler) {
        if (!hasLayer(layer)) {
            throw new SrrException(path + ": layer " + layer + " is not cached (cached: " + Arrays.toString(header.layers) + ")");
        }
        if (!header.poolings.contains(pooling)) {
            throw new SrrException(path + ": pooling " + pooling.label() + " is not cached");
        }
        List<SafetyList> lists = new ArrayList<>();
        List<FeatureList> features = new ArrayList<>();
        int missing = 0;
        for (SafetyList l : data) {
            if (l.candidates().isEmpty()) continue;
            int i = indexOf(l.id());
            if (i < 0) {
                missing++;
                continue;
            }
            if (candidateCount(i) != l.candidates().size()) {
                throw new SrrException(path + ": list '" + l.id() + "' has " + candidateCount(i)
                        + " cached candidates but " + l.candidates().size() + " in " + dataFile + " (run srr features again)");
            }
            lists.add(l);
            features.add(new FeatureList(l.id(), instruction(i, layer), candidates(i, layer, pooling), labeler.labels(l)));
        }
        if (lists.isEmpty()) {
            throw new SrrException(path + ": none of the lists in " + dataFile + " has cached features (run srr features on it)");
        }
        return new FeatureSet(lists, features, missing);
    }

    @Override
    public void require(FeatureSpec spec, Path rankerDir) {
        spec.requireCache(this, rankerDir);
    }

    /** The layer to use: the one asked for, else the 25%-depth layer if cached, else the only cached layer. */
    public int defaultLayer(Integer asked) {
        if (asked != null) return asked;
        int quarter = ModelConfig.quarterLayer(header.numLayers);
        if (hasLayer(quarter)) return quarter;
        if (header.layers.length == 1) return header.layers[0];
        throw new SrrException(path + ": holds layers " + Arrays.toString(header.layers) + "; choose one with --layer");
    }

    /** The features of list {@code i} at {@code layer} with candidate {@code pooling}. */
    public float[] instruction(int i, int layer) {
        return rows(Stored.instruction(layer).name(), i, 1);
    }

    public float[][] candidates(int i, int layer, Pooling pooling) {
        float[] flat = rows(Stored.candidates(new Capture(layer, pooling)).name(), firstCandidate[i], header.counts[i]);
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
        long candidates = lists.stream().mapToInt(ListFeatures::size).sum();
        for (Stored s : tensors(header)) {
            long rows = s.capture() == null ? lists.size() : candidates;
            w.add(s.name(), dev.srr.tensor.DType.F32, new long[]{rows, d}, out -> {
                for (ListFeatures lf : lists) {
                    float[] v = s.of(lf);
                    SafetensorsWriter.writeFloats(out, v, 0, v.length);
                }
            });
        }
        w.write(file);
    }

    /**
     * One tensor of a cache: a layer's instruction vectors ({@code instruction.L<k>}, a row per list), or a capture's
     * candidate vectors ({@code candidates.L<k>.<pooling>}, a row per candidate).
     *
     * @param capture null for instruction vectors
     */
    private record Stored(String name, int layer, Capture capture) {
        static Stored instruction(int layer) {
            return new Stored("instruction.L" + layer, layer, null);
        }

        static Stored candidates(Capture c) {
            return new Stored("candidates.L" + c.layer() + "." + c.pooling().label(), c.layer(), c);
        }

        long rows(Header h) {
            return capture == null ? h.ids.size() : h.totalCandidates();
        }

        float[] of(ListFeatures lf) {
            return capture == null ? lf.instruction().get(layer) : lf.candidates().get(capture);
        }
    }

    /** The tensors a cache with this header holds, in file order: instructions by layer, then candidates by layer and pooling. */
    private static List<Stored> tensors(Header h) {
        List<Stored> all = new ArrayList<>();
        for (int l : h.layers) all.add(Stored.instruction(l));
        for (int l : h.layers) for (Pooling p : h.poolings) all.add(Stored.candidates(new Capture(l, p)));
        return all;
    }

    /** Concatenates part files (each a range of lists, in order) into the final cache, atomically. */
    static void merge(List<Path> parts, Header header, Path target) {
        List<SafetensorsFile> files = new ArrayList<>();
        try {
            for (Path p : parts) files.add(SafetensorsFile.open(p));
            SafetensorsWriter w = new SafetensorsWriter().metadata(META_KEY, Json.write(header.toJson()));
            int d = header.hiddenSize;
            for (Stored s : tensors(header)) {
                String key = s.name();
                long rows = s.rows(header);
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
