package dev.srr.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import dev.srr.engine.Pooling;
import dev.srr.features.FeatureCache;

import java.io.IOException;

/**
 * Feature caches ({@link FeatureCache}): opened, then every cached layer and pooling of every list read, as
 * training and evaluation read them; an accepted cache must be readable throughout.
 */
class FeatureCacheFuzzTest {
    @DictionaryEntries({
            "\"srr.features\"", "\\\"hidden_size\\\"", "\\\"num_layers\\\"", "\\\"layers\\\"", "\\\"poolings\\\"",
            "\\\"counts\\\"", "\\\"ids\\\"", "\\\"mean\\\"", "\\\"last\\\"", "\"dtype\"", "\"shape\"",
            "\"data_offsets\"", "\"F32\"", "\"__metadata__\"", "0", "-1", "1e-300", "1e-45", "1e308", "1e999",
            "2147483647", "2147483648", "4294967296", "9223372036854775807", "18446744073709551616", "-0.0", "0.5",
            "null", "true", "[]", "{}"})
    @ReaderFuzzTest
    void fuzz(byte[] data) {
        ReaderProperty.check(data.length, "features.safetensors", () -> read(data));
    }

    /** What the target does with one input; throws {@link dev.srr.SrrException} for input it refuses. */
    static void read(byte[] data) throws IOException {
        try (FeatureCache c = FeatureCache.open(ReaderProperty.file("features.safetensors", data))) {
            ReaderProperty.mustSucceed(() -> {
                FeatureCache.Header h = c.header();
                for (int i = 0; i < h.ids().size(); i++) {
                    if (c.indexOf(h.ids().get(i)) != i) throw new AssertionError("list " + i + " not found by its id");
                    for (int layer : h.layers()) {
                        c.instruction(i, layer);
                        for (Pooling p : h.poolings()) c.candidates(i, layer, p);
                    }
                }
            });
        }
    }
}
