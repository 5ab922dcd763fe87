package dev.srr.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.srr.TestData;
import dev.srr.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertFalse;

/** Broken checkpoints give one message naming the file and the tensor or field, exit code 2, no stack trace. */
class BadCheckpointTest {
    @TempDir
    Path dir;

    private Path copyGolden() throws IOException {
        Path src = TestData.goldenModel("qwen2-tiny-f16").resolve("model");
        for (String f : new String[]{"config.json", "generation_config.json", "model.safetensors"}) {
            Files.copy(src.resolve(f), dir.resolve(f));
        }
        return dir;
    }

    private static void assertUserError(CliRunner r, String... fragments) {
        r.assertUserError(fragments);
    }

    /** Rewrites the safetensors header with {@code edit} applied, keeping the data bytes. */
    private void rewriteHeader(java.util.function.Consumer<ObjectNode> edit) throws IOException {
        SafetensorsEdits.header(dir.resolve("model.safetensors"), edit);
    }

    private CliRunner info() {
        return CliRunner.run("info", dir.toString());
    }

    @Test
    void truncatedFileIsReported() throws IOException {
        copyGolden();
        Path f = dir.resolve("model.safetensors");
        byte[] b = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(b, b.length - 100));
        assertUserError(info(), "model.safetensors", "outside the file");
    }

    @Test
    void fileShorterThanItsHeaderIsReported() throws IOException {
        copyGolden();
        Path f = dir.resolve("model.safetensors");
        Files.write(f, Arrays.copyOf(Files.readAllBytes(f), 50));
        assertUserError(info(), "model.safetensors", "truncated");
    }

    @Test
    void offsetsOutsideTheFileAreReported() throws IOException {
        copyGolden();
        rewriteHeader(h -> ((ObjectNode) h.get("model.norm.weight")).putArray("data_offsets").add(10_000_000).add(10_000_128));
        assertUserError(info(), "model.norm.weight", "outside the file");
    }

    @Test
    void overlappingTensorsAreReported() throws IOException {
        copyGolden();
        rewriteHeader(h -> {
            var embed = h.get("model.embed_tokens.weight").get("data_offsets");
            ((ObjectNode) h.get("model.norm.weight")).putArray("data_offsets").add(embed.get(0).asLong()).add(embed.get(0).asLong() + 128);
        });
        assertUserError(info(), "overlap", "model.norm.weight");
    }

    @Test
    void sizeNotMatchingShapeTimesDtypeIsReported() throws IOException {
        copyGolden();
        rewriteHeader(h -> ((ObjectNode) h.get("model.norm.weight")).putArray("shape").add(65));
        assertUserError(info(), "model.norm.weight", "needs");
    }

    @Test
    void unknownDtypeIsReported() throws IOException {
        copyGolden();
        rewriteHeader(h -> ((ObjectNode) h.get("model.norm.weight")).put("dtype", "F8_E4M3"));
        assertUserError(info(), "model.norm.weight", "F8_E4M3");
    }

    @Test
    void missingTensorIsReported() throws IOException {
        copyGolden();
        // renamed rather than removed, so the file stays valid (removing it would leave bytes no tensor owns)
        rewriteHeader(h -> h.set("model.layers.1.mlp.up_proj.renamed", h.remove("model.layers.1.mlp.up_proj.weight")));
        assertUserError(info(), "model.layers.1.mlp.up_proj.weight", "missing");
    }

    @Test
    void misshapenTensorIsReported() throws IOException {
        copyGolden();
        // same byte count, wrong shape: [64, 160] instead of [160, 64]
        rewriteHeader(h -> ((ObjectNode) h.get("model.layers.0.mlp.gate_proj.weight")).putArray("shape").add(64).add(160));
        assertUserError(info(), "model.layers.0.mlp.gate_proj.weight", "expected [160, 64]");
    }

    @Test
    void configFieldOfTheWrongTypeIsReported() throws IOException {
        copyGolden();
        ObjectNode c = (ObjectNode) Json.read(dir.resolve("config.json"));
        c.put("num_hidden_layers", "three");
        Files.writeString(dir.resolve("config.json"), Json.write(c));
        assertUserError(info(), "config.json", "num_hidden_layers", "integer");
    }

    @Test
    void unsupportedRopeTypeIsRefusedByName() throws IOException {
        copyGolden();
        ObjectNode c = (ObjectNode) Json.read(dir.resolve("config.json"));
        ((ObjectNode) c.get("rope_parameters")).put("rope_type", "yarn").put("factor", 4.0);
        Files.writeString(dir.resolve("config.json"), Json.write(c));
        assertUserError(info(), "config.json", "yarn");
    }

    @Test
    void unsupportedFamilyIsRefusedByName() throws IOException {
        copyGolden();
        ObjectNode c = (ObjectNode) Json.read(dir.resolve("config.json"));
        c.put("model_type", "gpt2");
        Files.writeString(dir.resolve("config.json"), Json.write(c));
        assertUserError(info(), "config.json", "gpt2");
    }

    @Test
    void missingFolderAndBadJsonAreReported() throws IOException {
        assertUserError(CliRunner.run("info", dir.resolve("nope").toString()), "nope");
        copyGolden();
        Files.writeString(dir.resolve("config.json"), "{\"hidden_size\": 64,");
        assertUserError(info(), "config.json", "invalid JSON");
    }

    @Test
    void outOfRangeTokenIdIsReported() throws IOException {
        copyGolden();
        CliRunner r = CliRunner.run("hidden", dir.toString(), "--ids", "1,2,9999", "--out", dir.resolve("h.safetensors").toString());
        assertUserError(r, "9999");
        assertFalse(Files.exists(dir.resolve("h.safetensors")), "no partial output");
    }

    @Test
    void headerIsNotJsonObject() throws IOException {
        copyGolden();
        byte[] json = "[1,2,3]".getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(8 + json.length).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(json.length).put(json);
        Files.write(dir.resolve("model.safetensors"), out.array());
        assertUserError(info(), "model.safetensors");
    }
}
