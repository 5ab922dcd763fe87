package dev.srr.fuzz;

import dev.srr.rank.FeatureSpec;
import dev.srr.rank.Ranker;
import dev.srr.rank.RankerCheckpoint;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Ranker checkpoints ({@link RankerCheckpoint}); input: ranker.json, NUL, ranker.safetensors. An accepted
 * checkpoint must score a list of its feature dimension with finite scores, as srr rank and respond do.
 */
class RankerCheckpointFuzzTest {
    @ReaderFuzzTest
    void fuzz(byte[] data) {
        ReaderProperty.check(data.length, "ranker", () -> read(data));
    }

    /** What the target does with one input; throws {@link dev.srr.SrrException} for input it refuses. */
    static void read(byte[] data) throws IOException {
        Path dir = ReaderProperty.folder(data, RankerCheckpoint.METADATA, RankerCheckpoint.WEIGHTS);
        RankerCheckpoint checkpoint = RankerCheckpoint.load(dir);
        if (checkpoint.featureSpec() != null) FeatureSpec.fromJson(checkpoint.featureSpec(), dir + "/ranker.json");
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
