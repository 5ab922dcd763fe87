package dev.srr.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.srr.SrrException;
import dev.srr.TestData;
import dev.srr.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every number in config.json is checked against what it must be; the error names config.json and the field. */
class ConfigValidationTest {
    @TempDir
    Path dir;

    private Path config(Consumer<ObjectNode> edit) throws IOException {
        ObjectNode c = (ObjectNode) Json.read(TestData.goldenModel("llama-tiny-bf16").resolve("model/config.json"));
        edit.accept(c);
        Path file = dir.resolve("config.json");
        Files.writeString(file, Json.write(c));
        return file;
    }

    private static ObjectNode rope(ObjectNode c) {
        return (ObjectNode) c.get("rope_parameters");
    }

    static Stream<Arguments> lies() {
        return Stream.of(
                Arguments.of("zero layers", (Consumer<ObjectNode>) c -> c.put("num_hidden_layers", 0), "num_hidden_layers"),
                Arguments.of("kv heads above heads", (Consumer<ObjectNode>) c -> c.put("num_key_value_heads", 8), "num_key_value_heads"),
                Arguments.of("odd head_dim", (Consumer<ObjectNode>) c -> c.put("head_dim", 15), "head_dim"),
                Arguments.of("head width overflowing an int", (Consumer<ObjectNode>) c -> c.put("num_attention_heads", 65536)
                        .put("num_key_value_heads", 1).put("head_dim", 65536), "num_attention_heads"),
                Arguments.of("hidden size beyond an int", (Consumer<ObjectNode>) c -> c.put("hidden_size", 1L << 32), "hidden_size"),
                Arguments.of("negative rms_norm_eps", (Consumer<ObjectNode>) c -> c.put("rms_norm_eps", -1e-5), "rms_norm_eps"),
                Arguments.of("zero context", (Consumer<ObjectNode>) c -> c.put("max_position_embeddings", 0), "max_position_embeddings"),
                Arguments.of("bos id outside the vocabulary", (Consumer<ObjectNode>) c -> c.put("bos_token_id", 512), "bos_token_id"),
                Arguments.of("eos id list with a negative", (Consumer<ObjectNode>) c -> c.putArray("eos_token_id").add(2).add(-1), "eos_token_id[1]"),
                Arguments.of("zero rope factor", (Consumer<ObjectNode>) c -> rope(c).put("factor", 0.0), "rope_parameters.factor"),
                Arguments.of("rope factor a string", (Consumer<ObjectNode>) c -> rope(c).put("factor", "8"), "rope_parameters.factor"),
                Arguments.of("high_freq_factor equal to low", (Consumer<ObjectNode>) c -> rope(c).put("high_freq_factor", 1.0), "high_freq_factor"),
                Arguments.of("original context of 2.5", (Consumer<ObjectNode>) c -> rope(c).put("original_max_position_embeddings", 2.5),
                        "original_max_position_embeddings"),
                Arguments.of("rope factor so small the angles overflow", (Consumer<ObjectNode>) c -> rope(c).put("factor", 1e-36), "factor"),
                Arguments.of("rope base so small the angles overflow", (Consumer<ObjectNode>) c -> rope(c).put("rope_theta", 1e-300), "rope_theta"),
                Arguments.of("unknown rope type", (Consumer<ObjectNode>) c -> rope(c).put("rope_type", "yarn"), "yarn"),
                Arguments.of("rope_scaling not an object", (Consumer<ObjectNode>) c -> {
                    c.remove("rope_parameters");
                    c.put("rope_scaling", 2);
                }, "rope_scaling"),
                Arguments.of("sliding window negative", (Consumer<ObjectNode>) c -> c.put("model_type", "mistral").put("sliding_window", -1),
                        "sliding_window"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lies")
    void aConfigThatLiesIsRefusedNamingTheField(String name, Consumer<ObjectNode> edit, String field) throws IOException {
        Path file = config(edit);
        SrrException e = assertThrows(SrrException.class, () -> ConfigReader.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(field), "expected '" + field + "' in: " + e.getMessage());
    }

    @Test
    void theIntactConfigIsAccepted() throws IOException {
        ModelConfig c = ConfigReader.read(config(x -> { }));
        assertEquals(16, c.headDim());
        assertEquals("llama3", c.rope().type());
    }

    @Test
    void generationConfigIdsAreCheckedAgainstTheVocabulary() throws IOException {
        Path file = config(x -> { });
        Files.writeString(dir.resolve("generation_config.json"), "{\"eos_token_id\": [2, 512]}");
        SrrException e = assertThrows(SrrException.class, () -> ConfigReader.read(file));
        assertTrue(e.getMessage().contains("generation_config.json") && e.getMessage().contains("eos_token_id[1]"), e.getMessage());
    }
}
