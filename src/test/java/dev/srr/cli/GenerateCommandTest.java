package dev.srr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.srr.TestData;
import dev.srr.compute.Parallel;
import dev.srr.io.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** generate through the command line: formats, reproducibility, and user errors. */
class GenerateCommandTest {
    static final String MODEL = "llama-tiny-bf16";

    static String model() {
        return TestData.goldenModel(MODEL).resolve("model").toString();
    }

    static JsonNode reference() {
        return Json.read(TestData.goldenModel(MODEL).resolve("reference.json")).get("sequences").get("A");
    }

    static String promptIds() {
        return reference().get("input_ids").toString().replaceAll("[\\[\\]]", "");
    }

    @Test
    void jsonlGivesOneLinePerDistinctCandidateWithMergeInfo() {
        CliRunner r = CliRunner.run("generate", model(), "--ids", promptIds(), "--n", "3", "--greedy", "--ignore-eos",
                "--max-new-tokens", "12", "--jsonl", "--quiet");
        assertEquals(0, r.exitCode(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(1, lines.length, r.out());
        JsonNode c = Json.parse(lines[0], "stdout");
        assertEquals(reference().get("greedy_new_ids"), c.get("ids"));
        assertEquals("length", c.get("finish_reason").asText());
        assertEquals(reference().get("input_ids").size(), c.get("prompt_tokens").asInt());
        assertEquals(12, c.get("completion_tokens").asInt());
        assertEquals(2, c.get("merged_duplicates").asInt());
        assertEquals("", r.err());
    }

    @Test
    void jsonHoldsAllCandidatesAndStatsAndASeedReproducesThem() {
        String[] args = {"generate", model(), "--ids", promptIds(), "--n", "4", "--temperature", "1.0", "--top-p", "0.95",
                "--seed", "7", "--max-new-tokens", "8", "--json"};
        CliRunner a = CliRunner.run(args);
        CliRunner b = CliRunner.run(args);
        assertEquals(0, a.exitCode(), a.err());
        JsonNode ja = Json.parse(a.out(), "stdout");
        JsonNode jb = Json.parse(b.out(), "stdout");
        assertEquals(ja.get("candidates").toString(), jb.get("candidates").toString());
        assertEquals(4, ja.get("candidates").size() + ja.get("merged").asInt());
        assertEquals(ja.get("candidates").get(0).get("ids"), ja.get("ids"));
        assertEquals(7, ja.get("seed").asLong());
        assertTrue(ja.get("stats").get("decode_tokens_per_second").asDouble() > 0);
        CliRunner other = CliRunner.run("generate", model(), "--ids", promptIds(), "--n", "4", "--seed", "8", "--max-new-tokens", "8", "--json");
        assertNotEquals(ja.get("candidates").toString(), Json.parse(other.out(), "stdout").get("candidates").toString());
    }

    @Test
    void candidatesDoNotDependOnTheThreadCount() throws Exception {
        String[] args = {"generate", model(), "--ids", promptIds(), "--n", "3", "--seed", "5", "--top-k", "40",
                "--max-new-tokens", "10", "--jsonl", "--quiet"};
        CliRunner here = CliRunner.run(args);
        assertEquals(0, here.exitCode(), here.err());
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Dsrr.threads=1",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String single = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor());
        assertEquals(here.out().strip(), single.strip(), "one thread vs " + Parallel.THREADS);
    }

    @Test
    void featureLayerPrintsStatesOfTheHiddenSize() {
        CliRunner r = CliRunner.run("generate", model(), "--ids", promptIds(), "--n", "2", "--seed", "1", "--max-new-tokens", "5",
                "--feature-layer", "1", "--json", "--quiet");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode j = Json.parse(r.out(), "stdout");
        int hidden = 64;
        assertEquals(1, j.get("feature_layer").asInt());
        assertEquals(hidden, j.get("prompt_state").size());
        for (JsonNode c : j.get("candidates")) {
            assertEquals(hidden, c.get("last_state").size());
            assertEquals(hidden, c.get("mean_state").size());
        }
    }

    @Test
    void streamPrintsIdsAsTheyCome() {
        CliRunner r = CliRunner.run("generate", model(), "--ids", promptIds(), "--greedy", "--ignore-eos", "--max-new-tokens", "12",
                "--stream", "--quiet");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(reference().get("greedy_new_ids").toString().replaceAll("[\\[\\]]", ""), r.out().strip());
    }

    @Test
    void contextOverflowIsAClearErrorOrTruncatesLeft() {
        StringBuilder ids = new StringBuilder();
        for (int i = 0; i < 2040; i++) ids.append(i == 0 ? "" : ",").append(3 + i % 500);
        CliRunner refused = CliRunner.run("generate", model(), "--ids", ids.toString(), "--max-new-tokens", "10", "--greedy");
        assertEquals(2, refused.exitCode());
        assertTrue(refused.err().contains("exceeds the model's context of 2048") && refused.err().contains("--truncate left"), refused.err());
        CliRunner truncated = CliRunner.run("generate", model(), "--ids", ids.toString(), "--max-new-tokens", "10", "--greedy",
                "--truncate", "left", "--json", "--quiet");
        assertEquals(0, truncated.exitCode(), truncated.err());
        JsonNode j = Json.parse(truncated.out(), "stdout");
        assertEquals(2038, j.get("prompt_tokens").asInt());
        assertEquals(2, j.get("truncated_prompt_tokens").asInt());
    }

    @Test
    void userErrorsExitWithOneMessage() {
        String m = model();
        expectError("needs the tokenizer", "generate", m, "--prompt", "hello");
        expectError("ids-only", "generate", m, "--ids", "5,6", "--stop", "x");
        expectError("temperature", "generate", m, "--ids", "5,6", "--temperature", "0");
        expectError("top-p", "generate", m, "--ids", "5,6", "--top-p", "1.5");
        expectError("at least 1", "generate", m, "--ids", "5,6", "--n", "0");
        expectError("feature layer", "generate", m, "--ids", "5,6", "--feature-layer", "9", "--json");
        expectError("--truncate", "generate", m, "--ids", "5,6", "--truncate", "middle");
        expectError("--stream", "generate", m, "--ids", "5,6", "--stream", "--json");
    }

    private static void expectError(String fragment, String... args) {
        CliRunner r = CliRunner.run(args);
        assertEquals(2, r.exitCode(), String.join(" ", args) + "\n" + r.err());
        assertTrue(r.err().startsWith("srr: error: ") && r.err().contains(fragment), r.err());
    }
}
