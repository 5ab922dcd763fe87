package dev.srr.rank;

import dev.srr.engine.Pooling;

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

    public static FeatureSpec fromJson(Map<String, Object> m, String where) {
        try {
            return new FeatureSpec((String) m.get("model"), ((Number) m.get("hidden_size")).intValue(),
                    ((Number) m.get("layer")).intValue(), Pooling.parse((String) m.get("pooling")),
                    EncodeMode.parse((String) m.get("encode")));
        } catch (RuntimeException e) {
            throw new dev.srr.SrrException(where + ": feature spec is missing or malformed (" + m + ")");
        }
    }
}
