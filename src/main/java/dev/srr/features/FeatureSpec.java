package dev.srr.features;

import dev.srr.SrrException;
import dev.srr.engine.Pooling;
import dev.srr.io.Json;
import dev.srr.io.JsonFields;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which features a ranker reads: the model they came from, the {@code hidden_states} index (decoder layers counted
 * from 1), the candidate pooling and the encode mode. The instruction vector is always the prompt's last token.
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
     * Reads a spec written by {@link #toJson()} (a ranker's {@code feature_spec}); {@code where} names the file.
     *
     * @throws SrrException naming {@code where} and the field when the spec is missing or malformed
     */
    public static FeatureSpec fromJson(Map<String, Object> m, String where) {
        if (m == null) throw new SrrException(where + ": feature spec is missing");
        JsonFields f = JsonFields.of(where + " feature_spec", Json.MAPPER.valueToTree(m));
        return new FeatureSpec(f.requiredText("model"), f.requiredInt("hidden_size", 1, Integer.MAX_VALUE),
                f.requiredInt("layer", 0, Integer.MAX_VALUE), f.requiredText("pooling", Pooling::parse),
                f.requiredText("encode", EncodeMode::parse));
    }
}
