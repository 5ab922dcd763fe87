package dev.srr.rank;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.srr.SrrException;
import dev.srr.io.AtomicFiles;
import dev.srr.io.Json;
import dev.srr.io.SafetensorsFile;
import dev.srr.io.SafetensorsWriter;
import dev.srr.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A ranker on disk: a folder with {@code ranker.safetensors} (float32 weights and standardisation statistics)
 * and {@code ranker.json} (shape, feature spec, training provenance, validation metrics). The folder is
 * written next to its destination and moved into place, so readers never see half a checkpoint.
 *
 * @param featureSpec      how the features were made (model, layer, pooling, encode mode...): opaque here,
 *                         the caller's to define and to compare on load
 * @param trainingDataHash hash of the training data, or null
 * @param seed             training seed, or null
 * @param validation       validation metrics as JSON-ready values, or null
 * @param training         further training facts (epochs, counts...), or null
 */
public record RankerCheckpoint(Ranker ranker, Map<String, Object> featureSpec, String trainingDataHash, Long seed,
                               Map<String, Object> validation, Map<String, Object> training) {

    public static final String WEIGHTS = "ranker.safetensors";
    public static final String METADATA = "ranker.json";
    static final String MEAN = "standardization.mean";
    static final String SCALE = "standardization.scale";
    private static final String FORMAT = "srr-ranker";
    private static final int VERSION = 1;

    /** A checkpoint describing a finished training run. */
    public static RankerCheckpoint of(TrainResult result, Map<String, Object> featureSpec) {
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("best_epoch", result.bestEpoch());
        training.put("epochs_run", result.history().size());
        training.put("data", result.counts().toJson());
        return new RankerCheckpoint(result.ranker(), featureSpec, result.trainingDataHash(), result.seed(),
                result.validation() == null ? null : result.validation().toJson(), training);
    }

    public void save(Path dir) {
        Path target = dir.toAbsolutePath().normalize();
        Path parent = target.getParent();
        Path tmp = parent.resolve("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            Files.createDirectories(tmp);
            writeWeights(tmp.resolve(WEIGHTS));
            AtomicFiles.writeString(tmp.resolve(METADATA), Json.writePretty(metadata()) + "\n");
            if (Files.exists(target)) {
                Path old = parent.resolve("." + target.getFileName() + ".old-" + UUID.randomUUID());
                AtomicFiles.move(target, old);
                AtomicFiles.move(tmp, target);
                AtomicFiles.deleteTree(old);
            } else {
                AtomicFiles.move(tmp, target);
            }
        } catch (IOException e) {
            throw new SrrException(target + ": cannot write checkpoint: " + e.getMessage(), e);
        } finally {
            AtomicFiles.deleteTree(tmp);
        }
    }

    private void writeWeights(Path file) {
        SafetensorsWriter w = new SafetensorsWriter().metadata("format", FORMAT);
        for (Parameters.Param p : ranker.parameters().all()) {
            float[] v = new float[p.size()];
            for (int i = 0; i < v.length; i++) v[i] = (float) p.values()[i];
            w.addF32(p.name(), longs(p.shape()), v);
        }
        Standardization s = ranker.standardization();
        if (s != null) {
            w.addF32(MEAN, new long[]{s.dim()}, s.mean());
            w.addF32(SCALE, new long[]{s.dim()}, s.scale());
        }
        w.write(file);
    }

    private Map<String, Object> metadata() {
        RankerConfig c = ranker.config();
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("feature_dim", c.featureDim());
        cfg.put("proj_dim", c.projDim());
        cfg.put("heads", c.heads());
        cfg.put("ff_dim", c.ffDim());
        cfg.put("tau", c.tau());
        cfg.put("dropout", c.dropout());
        cfg.put("standardize", c.standardize());
        cfg.put("activation", c.activation().name().toLowerCase(java.util.Locale.ROOT));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("version", VERSION);
        m.put("feature_spec", featureSpec);
        m.put("config", cfg);
        m.put("parameter_count", ranker.parameterCount());
        m.put("training_data_sha256", trainingDataHash);
        m.put("seed", seed);
        m.put("validation", validation);
        m.put("training", training);
        return m;
    }

    /** Loads a checkpoint whatever its feature dimension. */
    public static RankerCheckpoint load(Path dir) {
        return load(dir, -1);
    }

    /** Loads a checkpoint for features of dimension {@code featureDim}; any other dimension is refused. */
    public static RankerCheckpoint load(Path dir, int featureDim) {
        Path meta = dir.resolve(METADATA);
        if (!Files.isRegularFile(meta)) throw new SrrException(dir + ": not a ranker checkpoint (" + METADATA + " missing)");
        JsonNode root = Json.read(meta);
        if (!FORMAT.equals(root.path("format").asText())) {
            throw new SrrException(meta + ": 'format' is not \"" + FORMAT + "\"");
        }
        if (root.path("version").asInt(-1) != VERSION) {
            throw new SrrException(meta + ": unsupported 'version' " + root.path("version") + " (this srr reads " + VERSION + ")");
        }
        JsonNode c = root.path("config");
        RankerConfig cfg;
        try {
            cfg = new RankerConfig(requiredInt(c, "feature_dim", meta), requiredInt(c, "proj_dim", meta),
                    requiredInt(c, "heads", meta), requiredInt(c, "ff_dim", meta), requiredDouble(c, "tau", meta),
                    requiredDouble(c, "dropout", meta), required(c, "standardize", meta).asBoolean(),
                    Activation.parse(required(c, "activation", meta).asText()));
        } catch (SrrException e) {
            throw new SrrException(meta + ": " + e.getMessage());
        }
        if (featureDim >= 0 && featureDim != cfg.featureDim()) {
            throw new SrrException(dir + ": ranker was trained on features of dimension " + cfg.featureDim()
                    + ", but these features have dimension " + featureDim
                    + " (a different model or layer? retrain the ranker for these features)");
        }
        Path weights = dir.resolve(WEIGHTS);
        Parameters params = RankerNetwork.newParameters(cfg);
        Standardization std = null;
        try (SafetensorsFile f = SafetensorsFile.open(weights)) {
            for (Parameters.Param p : params.all()) {
                float[] v = read(f, p.name(), longs(p.shape()));
                for (int i = 0; i < v.length; i++) p.values()[i] = v[i];
            }
            if (cfg.standardize()) {
                long[] shape = {cfg.featureDim()};
                std = new Standardization(read(f, MEAN, shape), read(f, SCALE, shape));
            }
        }
        Map<String, Object> spec = map(root.get("feature_spec"));
        JsonNode hash = root.get("training_data_sha256");
        JsonNode seed = root.get("seed");
        return new RankerCheckpoint(new Ranker(cfg, params, std), spec,
                hash == null || hash.isNull() ? null : hash.asText(),
                seed == null || seed.isNull() ? null : seed.asLong(),
                map(root.get("validation")), map(root.get("training")));
    }

    private static float[] read(SafetensorsFile f, String name, long[] shape) {
        Tensor t = f.get(name);
        if (!java.util.Arrays.equals(t.shape(), shape)) {
            throw new SrrException(f.path() + ": tensor '" + name + "' has shape " + t.shapeString() + ", "
                    + METADATA + " implies " + java.util.Arrays.toString(shape));
        }
        return t.toFloatArray();
    }

    private static JsonNode required(JsonNode node, String field, Path file) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) throw new SrrException(file + ": field 'config." + field + "' missing");
        return v;
    }

    private static int requiredInt(JsonNode node, String field, Path file) {
        JsonNode v = required(node, field, file);
        if (!v.isIntegralNumber()) throw new SrrException(file + ": field 'config." + field + "' must be an integer");
        return v.asInt();
    }

    private static double requiredDouble(JsonNode node, String field, Path file) {
        JsonNode v = required(node, field, file);
        if (!v.isNumber()) throw new SrrException(file + ": field 'config." + field + "' must be a number");
        return v.asDouble();
    }

    private static Map<String, Object> map(JsonNode node) {
        if (node == null || node.isNull()) return null;
        return Json.MAPPER.convertValue(node, new TypeReference<LinkedHashMap<String, Object>>() {
        });
    }

    private static long[] longs(int[] shape) {
        long[] l = new long[shape.length];
        for (int i = 0; i < shape.length; i++) l[i] = shape[i];
        return l;
    }
}
