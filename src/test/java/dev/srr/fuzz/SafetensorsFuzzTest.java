package dev.srr.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import dev.srr.io.SafetensorsFile;
import dev.srr.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;

/**
 * safetensors files ({@link SafetensorsFile}): the header parsed and checked, then every tensor touched at its
 * first and last element, so a header that lies about where data lies shows up as an out-of-bounds read.
 */
class SafetensorsFuzzTest {
    @DictionaryEntries({
            "\"dtype\"", "\"shape\"", "\"data_offsets\"", "\"F32\"", "\"F16\"", "\"BF16\"", "\"__metadata__\"", "0",
            "-1", "1e-300", "1e-45", "1e308", "1e999", "2147483647", "2147483648", "4294967296",
            "9223372036854775807", "18446744073709551616", "-0.0", "0.5", "null", "true", "[]", "{}"})
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
