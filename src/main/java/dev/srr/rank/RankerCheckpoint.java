package dev.srr.rank;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.srr.SrrException;
import dev.srr.io.AtomicFiles;
import dev.srr.io.InputFiles;
import dev.srr.io.Json;
import dev.srr.io.JsonFields;
import dev.srr.io.SafetensorsFile;
import dev.srr.io.SafetensorsWriter;
import dev.srr.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

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

    /**
     * Loads a checkpoint for features of dimension {@code featureDim}; any other dimension is refused. Everything
     * is checked before use: ranker.json's format, version and network shape, then every tensor's shape against
     * that shape before any parameter is allocated (so memory stays within the file's own size), then the values
     * (finite weights, finite means, positive finite scales).
     *
     * @throws SrrException naming the folder's file and the field or tensor at fault
     */
    public static RankerCheckpoint load(Path dir, int featureDim) {
        InputFiles.requireFolder(dir, "a ranker checkpoint folder (" + METADATA + ", " + WEIGHTS + ")");
        Path meta = dir.resolve(METADATA);
        if (!Files.exists(meta)) throw new SrrException(dir + ": not a ranker checkpoint (" + METADATA + " missing)");
        JsonFields root = JsonFields.of(meta, Json.readStrict(meta));
        if (!FORMAT.equals(root.optText("format", null))) {
            throw new SrrException(meta + ": 'format' is not \"" + FORMAT + "\"");
        }
        root.requiredInt("version", VERSION, VERSION);
        RankerConfig cfg = config(root.object("config"));
        if (featureDim >= 0 && featureDim != cfg.featureDim()) {
            throw new SrrException(dir + ": ranker was trained on features of dimension " + cfg.featureDim()
                    + ", but these features have dimension " + featureDim
                    + " (a different model or layer? retrain the ranker for these features)");
        }
        Parameters params;
        Standardization std = null;
        try (SafetensorsFile f = SafetensorsFile.open(dir.resolve(WEIGHTS))) {
            List<RankerNetwork.ParamSpec> layout = RankerNetwork.layout(cfg);
            for (RankerNetwork.ParamSpec spec : layout) require(f, spec.name(), spec.shape());
            long[] statShape = {cfg.featureDim()};
            if (cfg.standardize()) {
                require(f, MEAN, statShape);
                require(f, SCALE, statShape);
            }
            params = RankerNetwork.newParameters(cfg);
            for (Parameters.Param p : params.all()) {
                float[] v = finite(f, p.name());
                for (int i = 0; i < v.length; i++) p.values()[i] = v[i];
            }
            if (cfg.standardize()) {
                float[] scale = finite(f, SCALE);
                for (float s : scale) {
                    if (!(s > 0)) throw new SrrException(f.path() + ": tensor '" + SCALE + "' holds " + s + ", scales must be positive");
                }
                std = new Standardization(finite(f, MEAN), scale);
            }
        }
        JsonNode hash = root.get("training_data_sha256");
        JsonNode seed = root.get("seed");
        return new RankerCheckpoint(new Ranker(cfg, params, std), map(root, "feature_spec"),
                hash == null ? null : root.requiredText("training_data_sha256"),
                seed == null ? null : root.requiredLong("seed", Long.MIN_VALUE, Long.MAX_VALUE),
                map(root, "validation"), map(root, "training"));
    }

    /** The network shape in ranker.json; RankerConfig's own checks are reported against the file. */
    private static RankerConfig config(JsonFields c) {
        int max = Integer.MAX_VALUE;
        int featureDim = c.requiredInt("feature_dim", 1, max);
        int projDim = c.requiredInt("proj_dim", 1, max);
        int heads = c.requiredInt("heads", 1, projDim);
        int ffDim = c.requiredInt("ff_dim", 1, max);
        double tau = c.requiredNumber("tau", Double.MIN_VALUE, Double.MAX_VALUE);
        double dropout = c.requiredNumber("dropout", 0, Math.nextDown(1.0));
        boolean standardize = c.requiredBool("standardize");
        Activation activation = c.requiredText("activation", Activation::parse);
        try {
            return new RankerConfig(featureDim, projDim, heads, ffDim, tau, dropout, standardize, activation);
        } catch (SrrException e) {
            throw new SrrException(c.file() + ": " + e.getMessage());
        }
    }

    private static void require(SafetensorsFile f, String name, long[] shape) {
        Tensor t = f.get(name);
        if (!java.util.Arrays.equals(t.shape(), shape)) {
            throw new SrrException(f.path() + ": tensor '" + name + "' has shape " + t.shapeString() + ", "
                    + METADATA + " implies " + java.util.Arrays.toString(shape));
        }
    }

    /** A tensor's values, all of which must be finite (a NaN weight would make every score NaN). */
    private static float[] finite(SafetensorsFile f, String name) {
        float[] v = f.get(name).toFloatArray();
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) throw new SrrException(f.path() + ": tensor '" + name + "' holds " + v[i] + " at " + i);
        }
        return v;
    }

    /** An optional free-form object (feature spec, validation metrics, training facts), or null. */
    private static Map<String, Object> map(JsonFields root, String field) {
        JsonFields node = root.optObject(field);
        if (node == null) return null;
        return Json.MAPPER.convertValue(node.node(), new TypeReference<LinkedHashMap<String, Object>>() {
        });
    }

    private static long[] longs(int[] shape) {
        long[] l = new long[shape.length];
        for (int i = 0; i < shape.length; i++) l[i] = shape[i];
        return l;
    }
}
