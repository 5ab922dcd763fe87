package dev.srr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.srr.TestData;
import dev.srr.io.Json;
import dev.srr.io.SafetensorsFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** info, hidden, generate and synth through the command line. */
class EngineCommandsTest {
    @TempDir
    Path tmp;

    @Test
    void hiddenWritesTransformersNumberedStatesAndLogits() throws Exception {
        Path golden = TestData.goldenModel("qwen3-tiny-bf16");
        JsonNode ref = Json.read(golden.resolve("reference.json")).get("sequences").get("A");
        String ids = ref.get("input_ids").toString().replaceAll("[\\[\\]]", "");
        Path out = tmp.resolve("h.safetensors");
        CliRunner r = CliRunner.run("hidden", golden.resolve("model").toString(), "--ids", ids, "--layers", "0,3", "--logits", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        try (SafetensorsFile got = SafetensorsFile.open(out); SafetensorsFile expected = SafetensorsFile.open(golden.resolve("reference.safetensors"))) {
            assertEquals(3, got.tensors().size());
            assertTrue(TestData.relativeError(got.get("hidden_states.3").toFloatArray(), expected.get("A.hidden_states.3").toFloatArray()) < 1e-5);
            assertTrue(TestData.relativeError(got.get("logits").toFloatArray(), expected.get("A.logits").toFloatArray()) < 1e-5);
            assertArrayEquals(new long[]{7, 64}, got.get("hidden_states.0").shape());
        }
    }

    @Test
    void hiddenWithLastPoolingWritesOneVectorPerLayer() {
        Path model = TestData.goldenModel("llama-tiny-bf16").resolve("model");
        Path out = tmp.resolve("h.safetensors");
        CliRunner r = CliRunner.run("hidden", model.toString(), "--ids", "5,17,42", "--layers", "1", "--pool", "last", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        try (SafetensorsFile got = SafetensorsFile.open(out)) {
            assertArrayEquals(new long[]{64}, got.get("hidden_states.1").shape());
        }
    }

    @Test
    void generateGreedyPrintsTheGoldenContinuation() {
        Path golden = TestData.goldenModel("mistral-tiny-f32");
        JsonNode ref = Json.read(golden.resolve("reference.json")).get("sequences").get("B");
        String ids = ref.get("input_ids").toString().replaceAll("[\\[\\]]", "");
        CliRunner r = CliRunner.run("generate", golden.resolve("model").toString(), "--ids", ids, "--max-new-tokens", "12", "--greedy", "--json");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(ref.get("greedy_new_ids"), Json.parse(r.out(), "stdout").get("ids"));
    }

    @Test
    void synthesizedQwen05bHasThePublishedParameterCountAndRuns() throws Exception {
        Path model = tmp.resolve("qwen2.5-0.5b");
        CliRunner s = CliRunner.run("synth", "--like", "qwen2.5-0.5b", "--seed", "3", "--out", model.toString(), "--quiet");
        assertEquals(0, s.exitCode(), s.err());
        CliRunner info = CliRunner.run("info", model.toString(), "--json");
        assertEquals(0, info.exitCode(), info.err());
        JsonNode j = Json.parse(info.out(), "info");
        assertEquals(494_032_768L, j.get("parameters").asLong());
        assertEquals("qwen2", j.get("family").asText());
        Path out = tmp.resolve("h.safetensors");
        CliRunner h = CliRunner.run("hidden", model.toString(), "--ids", "9707,11,1879,0", "--layers", "6", "--pool", "mean", "--out", out.toString());
        assertEquals(0, h.exitCode(), h.err());
        try (SafetensorsFile got = SafetensorsFile.open(out)) {
            float[] v = got.get("hidden_states.6").toFloatArray();
            assertEquals(896, v.length);
            for (float x : v) assertTrue(Float.isFinite(x));
        }
    }

    @Test
    void synthIsReproducibleAndShardsWithAnIndex() throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        for (Path p : new Path[]{a, b}) {
            CliRunner r = CliRunner.run("synth", "--like", "llama-3.2-1b", "--layers", "2", "--hidden", "128", "--heads", "4",
                    "--kv-heads", "2", "--intermediate", "256", "--vocab", "5000", "--shard-mb", "1", "--quiet", "--out", p.toString());
            assertEquals(0, r.exitCode(), r.err());
        }
        assertTrue(Files.exists(a.resolve("model.safetensors.index.json")));
        try (var files = Files.list(a)) {
            for (Path f : files.toList()) assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(b.resolve(f.getFileName())), f.toString());
        }
        CliRunner g = CliRunner.run("generate", a.toString(), "--ids", "1,2,3", "--max-new-tokens", "4", "--greedy", "--json");
        assertEquals(0, g.exitCode(), g.err());
        CliRunner refused = CliRunner.run("synth", "--like", "tiny", "--quiet", "--out", a.toString());
        assertEquals(2, refused.exitCode());
        assertTrue(refused.err().contains("not empty"));
    }

    @Test
    void tornadoBackendInABuildWithoutItSaysHowToGetIt() {
        assumeFalse(tornadoBuild(), "this is a build with the TornadoVM backend (mvn -Ptornado)");
        Path model = TestData.goldenModel("llama-tiny-bf16").resolve("model");
        CliRunner r = CliRunner.run("generate", model.toString(), "--ids", "1,2,3", "--max-new-tokens", "2", "--greedy", "--backend", "tornado");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("-Ptornado") && r.err().contains("srr-tornado"), r.err());
    }

    /** Whether this build holds the TornadoVM backend: only the tornado profile compiles its source root. */
    private static boolean tornadoBuild() {
        try {
            Class.forName("dev.srr.compute.tornado.TornadoBackend", false, EngineCommandsTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    @Test
    void benchRunsEachPromptLengthAndDepthAndSkipsWhatExceedsTheContext() {
        Path model = TestData.goldenModel("llama-tiny-bf16").resolve("model");
        int context = Json.read(model.resolve("config.json")).get("max_position_embeddings").asInt();
        CliRunner r = CliRunner.run("bench", model.toString(), "--json", "--repeat", "1", "--pp", "4,8," + (context + 1),
                "--tg", "2", "--depth", "0,16," + context, "--k", "0", "--encode", "0", "--stream-mb", "0");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode report = Json.parse(r.out(), "stdout");
        JsonNode tests = report.get("tests");
        for (String name : new String[]{"pp4", "pp8", "tg2", "tg2_d16"}) {
            assertTrue(tests.get(name).get("median").asDouble() > 0, name + " in " + tests);
        }
        assertEquals(4, tests.size(), tests.toString());
        assertTrue(report.get("skipped").has("pp" + (context + 1)), report.toString());
        assertTrue(report.get("skipped").has("tg2_d" + context), report.toString());
    }
}
