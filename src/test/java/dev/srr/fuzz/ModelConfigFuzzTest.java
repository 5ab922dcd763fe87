package dev.srr.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import dev.srr.model.ConfigReader;
import dev.srr.model.ModelConfig;

import java.io.IOException;
import java.nio.file.Path;

/**
 * config.json with generation_config.json beside it ({@link ConfigReader}); input: config.json, NUL,
 * generation_config.json. An accepted config must give what srr computes from it before the weights are
 * checked (widths, the parameter count, the 25%-depth layer) and non-negative RoPE frequencies whose angles stay
 * finite up to the last position.
 */
class ModelConfigFuzzTest {
    @DictionaryEntries({
            "\"model_type\"", "\"vocab_size\"", "\"hidden_size\"", "\"intermediate_size\"", "\"num_hidden_layers\"",
            "\"num_attention_heads\"", "\"num_key_value_heads\"", "\"head_dim\"", "\"rms_norm_eps\"",
            "\"max_position_embeddings\"", "\"rope_theta\"", "\"rope_scaling\"", "\"rope_parameters\"",
            "\"rope_type\"", "\"factor\"", "\"low_freq_factor\"", "\"high_freq_factor\"",
            "\"original_max_position_embeddings\"", "\"sliding_window\"", "\"eos_token_id\"", "\"bos_token_id\"",
            "\"llama3\"", "\"linear\"", "\"mistral\"", "\"qwen3\"", "0", "-1", "1e-300", "1e-45", "1e308", "1e999",
            "2147483647", "2147483648", "4294967296", "9223372036854775807", "18446744073709551616", "-0.0", "0.5",
            "null", "true", "[]", "{}"})
    @ReaderFuzzTest
    void fuzz(byte[] data) {
        ReaderProperty.check(data.length, "config.json", () -> read(data));
    }

    /** What the target does with one input; throws {@link dev.srr.SrrException} for input it refuses. */
    static void read(byte[] data) throws IOException {
        Path dir = ReaderProperty.folder(data, "config.json", "generation_config.json");
        ModelConfig c = ConfigReader.read(dir.resolve("config.json"));
        if (c.qDim() <= 0 || c.kvDim() <= 0 || c.parameterCount() <= 0 || c.quarterLayer() < 1) {
            throw new AssertionError("accepted a config with impossible sizes: " + c);
        }
        // the frequencies of the first 256 dimensions: computing all of a huge head_dim is the weights' job
        float[] inv = c.rope().inverseFrequencies(Math.min(c.headDim(), 256));
        for (float f : inv) {
            float lastAngle = (c.maxPositions() - 1) * f;
            if (!Float.isFinite(lastAngle) || f < 0) throw new AssertionError("RoPE frequency " + f + " from " + c.rope());
        }
    }
}
