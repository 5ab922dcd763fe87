package dev.srr.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import dev.srr.features.FeatureSpec;
import dev.srr.rank.Ranker;
import dev.srr.rank.RankerCheckpoint;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Ranker checkpoints ({@link RankerCheckpoint}); input: ranker.json, NUL, ranker.safetensors. An accepted
 * checkpoint must score a list of its feature dimension with finite scores, as srr rank and respond do.
 */
class RankerCheckpointFuzzTest {
    @DictionaryEntries({
            "\"feature_dim\"", "\"proj_dim\"", "\"heads\"", "\"ff_dim\"", "\"tau\"", "\"dropout\"",
            "\"standardize\"", "\"activation\"", "\"gelu\"", "\"relu\"", "\"feature_spec\"", "\"version\"",
            "\"format\"", "\"srr-ranker\"", "\"dtype\"", "\"shape\"", "\"data_offsets\"", "\"F32\"", "0", "-1",
            "1e-300", "1e-45", "1e308", "1e999", "2147483647", "2147483648", "4294967296", "9223372036854775807",
            "18446744073709551616", "-0.0", "0.5", "null", "true", "[]", "{}"})
    @ReaderFuzzTest
    void fuzz(byte[] data) {
        ReaderProperty.check(data.length, "ranker", () -> read(data));
    }

    /** What the target does with one input; throws {@link dev.srr.SrrException} for input it refuses. */
    static void read(byte[] data) throws IOException {
        Path dir = ReaderProperty.folder(data, RankerCheckpoint.METADATA, RankerCheckpoint.WEIGHTS);
        RankerCheckpoint checkpoint = RankerCheckpoint.load(dir);
        if (checkpoint.featureSpec() != null) FeatureSpec.of(checkpoint, dir);
        ReaderProperty.mustSucceed(() -> {
            Ranker r = checkpoint.ranker();
            int d = r.config().featureDim();
            float[] instruction = new float[d];
            float[][] candidates = new float[3][d];
            for (int i = 0; i < d; i++) {
                instruction[i] = (float) Math.sin(i);
                for (int c = 0; c < 3; c++) candidates[c][i] = (float) Math.cos(i * (c + 1));
            }
            for (double s : r.score(instruction, candidates)) {
                if (!Double.isFinite(s)) throw new AssertionError("score " + s);
            }
        });
    }
}
