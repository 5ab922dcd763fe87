package dev.srr.fuzz;

import dev.srr.io.SafetensorsFile;
import dev.srr.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;

/**
 * safetensors files ({@link SafetensorsFile}): the header parsed and checked, then every tensor touched at its
 * first and last element, so a header that lies about where data lies shows up as an out-of-bounds read.
 */
class SafetensorsFuzzTest {
    @ReaderFuzzTest
    void fuzz(byte[] data) {
        ReaderProperty.check(data.length, "model.safetensors", () -> read(data));
    }

    /** What the target does with one input; throws {@link dev.srr.SrrException} for input it refuses. */
    static void read(byte[] data) throws IOException {
        Path file = ReaderProperty.file("model.safetensors", data);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            for (Tensor t : f.tensors().values()) {
                if (t.size() > 0) {
                    t.get(0);
                    t.get(t.size() - 1);
                }
            }
            f.metadata().forEach((k, v) -> k.length());
        }
    }
}
