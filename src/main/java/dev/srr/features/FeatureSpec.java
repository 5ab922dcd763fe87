package dev.srr.features;

import dev.srr.SrrException;
import dev.srr.Warnings;
import dev.srr.engine.LoadedModel;
import dev.srr.engine.Pooling;
import dev.srr.io.Json;
import dev.srr.io.JsonFields;
import dev.srr.rank.RankerCheckpoint;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which features a ranker reads: the model they came from, the {@code hidden_states} index (decoder layers counted
 * from 1), the candidate pooling and the encode mode. The instruction vector is always the prompt's last token.
 * A ranker checkpoint keeps it as {@code feature_spec} in ranker.json ({@link #of(RankerCheckpoint, Path)}); the
 * {@code require...} checks say whether a model or a cache can give these features.
 */
public record FeatureSpec(String model, int hiddenSize, int layer, Pooling pooling, EncodeMode encode) {

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model);
        m.put("hidden_size", hiddenSize);
        m.put("layer", layer);
        m.put("pooling", pooling.label());
        m.put("encode", encode.label());
        return m;
    }

    /**
     * The spec of the ranker in folder {@code rankerDir}, read from its checkpoint's {@code feature_spec}.
     *
     * @throws SrrException naming ranker.json and the field when the spec is missing or malformed, or when its hidden
     *                      size is not the ranker's feature dimension
     */
    public static FeatureSpec of(RankerCheckpoint checkpoint, Path rankerDir) {
        String where = rankerDir.resolve(RankerCheckpoint.METADATA).toString();
        Map<String, Object> m = checkpoint.featureSpec();
        if (m == null) throw new SrrException(where + ": feature spec is missing");
        JsonFields f = JsonFields.of(where + " feature_spec", Json.MAPPER.valueToTree(m));
        FeatureSpec spec = new FeatureSpec(f.requiredText("model"), f.requiredInt("hidden_size", 1, Integer.MAX_VALUE),
                f.requiredInt("layer", 0, Integer.MAX_VALUE), f.requiredText("pooling", Pooling::parse),
                f.requiredText("encode", EncodeMode::parse));
        int featureDim = checkpoint.ranker().config().featureDim();
        if (spec.hiddenSize != featureDim) {
            throw f.error("hidden_size", "is " + spec.hiddenSize + ", but the ranker reads features of dimension " + featureDim);
        }
        return spec;
    }

    /**
     * The model must give these features: the same hidden size, and the layer within its depth. A model of that shape
     * under another name (a re-saved checkpoint, say) draws a warning ({@link Warnings}).
     *
     * @throws SrrException naming the model, the ranker and both sizes (or the layer and the depth)
     */
    public void requireModel(LoadedModel model, Path rankerDir) {
        Path source = model.checkpoint().source();
        int hidden = model.config().hiddenSize();
        if (hidden != hiddenSize) {
            throw new SrrException(source + ": the model's hidden size is " + hidden + ", but ranker " + rankerDir
                    + " was trained on features of size " + hiddenSize + " (from model " + this.model
                    + "); use the model the ranker was trained for, or train a ranker on this model's features");
        }
        if (layer > model.config().numLayers()) {
            throw new SrrException(source + ": ranker " + rankerDir + " reads layer " + layer + ", but the model has "
                    + model.config().numLayers() + " layers");
        }
        String identity = model.checkpoint().identity();
        if (!this.model.equals(identity)) {
            Warnings.warn("ranker " + rankerDir + " was trained on features of " + this.model + ", this model is " + identity);
        }
    }

    /**
     * The cache must hold these features: the same hidden size, the layer and pooling cached, the same encode mode.
     * Features of another model of the same shape draw a warning.
     *
     * @throws SrrException naming the cache, the ranker and what differs
     */
    public void requireCache(FeatureCache cache, Path rankerDir) {
        Path features = cache.path();
        if (hiddenSize != cache.hiddenSize()) {
            throw new SrrException(rankerDir + ": ranker was trained on features of size " + hiddenSize + " (model " + model
                    + "), but " + features + " holds size " + cache.hiddenSize() + " (model " + cache.model() + ")");
        }
        if (!cache.hasLayer(layer)) {
            throw new SrrException(features + ": ranker " + rankerDir + " reads layer " + layer + ", which is not cached (cached: "
                    + Arrays.toString(cache.layers()) + ")");
        }
        if (!cache.poolings().contains(pooling)) {
            throw new SrrException(features + ": ranker " + rankerDir + " reads " + pooling.label() + " pooling, which is not cached");
        }
        if (encode != cache.encode()) {
            throw new SrrException(features + ": encoded " + cache.encode().label() + ", but ranker " + rankerDir + " was trained on "
                    + encode.label() + " features");
        }
        if (!model.equals(cache.model())) {
            Warnings.warn("ranker " + rankerDir + " was trained on features of " + model + ", " + features + " holds " + cache.model());
        }
    }
}
