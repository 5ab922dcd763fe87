package dev.srr.cli;

import dev.srr.engine.GenerationOptions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.srr.TestData;
import dev.srr.Parallel;
import dev.srr.tokenizer.ModelTokenizer;
import org.junit.jupiter.api.io.TempDir;
import dev.srr.io.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** generate through the command line: formats, reproducibility, and user errors. */
class GenerateCommandTest {
    static final String MODEL = "llama-tiny-bf16";

    @TempDir
    Path tmp;

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
    void tooManyCandidatesIsAnErrorBeforeAnyDecoding() {
        CliRunner.run("generate", model(), "--ids", promptIds(), "--n", "100000", "--max-new-tokens", "2")
                .assertUserError("number of candidates must be in 1.." + GenerationOptions.MAX_CANDIDATES, "got 100000");
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

    /** The tiny qwen3 model with the real Qwen3 tokenizer beside it (ids below 512 decode to ordinary text). */
    private Path modelWithTokenizer() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("qwen3-with-tokenizer"));
        try (var files = Files.list(TestData.goldenModel("qwen3-tiny-bf16").resolve("model"))) {
            for (Path f : files.toList()) Files.copy(f, dir.resolve(f.getFileName()));
        }
        for (String f : List.of("tokenizer.json.gz", "tokenizer_config.json")) Files.copy(TestData.resource("tokenizers/qwen3/" + f), dir.resolve(f));
        return dir;
    }

    @Test
    void textPromptsAreTokenizedAndCandidatesCarryTheirText() throws Exception {
        Path dir = modelWithTokenizer();
        ModelTokenizer tokenizer = ModelTokenizer.load(dir);
        CliRunner r = CliRunner.run("generate", dir.toString(), "--prompt", "a", "--raw", "--greedy", "--ignore-eos",
                "--max-new-tokens", "10", "--jsonl", "--quiet");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode c = Json.parse(r.out(), "stdout");
        int[] ids = ids(c.get("ids"));
        assertEquals(tokenizer.decode(ids, true), c.get("text").asText());
        String asIds = String.join(",", Arrays.stream(tokenizer.encode("a", true)).mapToObj(Integer::toString).toList());
        CliRunner same = CliRunner.run("generate", dir.toString(), "--ids", asIds, "--greedy", "--ignore-eos", "--max-new-tokens", "10", "--jsonl", "--quiet");
        assertEquals(r.out(), same.out());

        // a stop string: the text ends before it, the ids end with the token that completed it
        String[] sampled = {"generate", dir.toString(), "--prompt", "a", "--raw", "--seed", "3", "--ignore-eos", "--max-new-tokens", "16",
                "--jsonl", "--quiet"};
        JsonNode free = Json.parse(CliRunner.run(sampled).out(), "stdout");
        int[] freeIds = ids(free.get("ids"));
        String full = free.get("text").asText();
        String stop = null;
        for (int k = 2; k < freeIds.length && stop == null; k++) {
            String piece = tokenizer.decode(new int[]{freeIds[k]}, true).strip();
            boolean fresh = !tokenizer.decode(Arrays.copyOf(freeIds, k), true).contains(piece);
            if (piece.length() > 1 && piece.chars().allMatch(Character::isLetter) && fresh) stop = piece;
        }
        assertTrue(stop != null, "no usable stop string in " + full);
        List<String> withStop = new ArrayList<>(List.of(sampled));
        withStop.addAll(List.of("--stop", stop));
        JsonNode s = Json.parse(CliRunner.run(withStop.toArray(String[]::new)).out(), "stdout");
        assertEquals("stop", s.get("finish_reason").asText());
        assertEquals(full.substring(0, full.indexOf(stop)), s.get("text").asText());
        int[] stoppedIds = ids(s.get("ids"));
        assertArrayEquals(Arrays.copyOf(freeIds, stoppedIds.length), stoppedIds);
        assertTrue(tokenizer.decode(stoppedIds, true).contains(stop));
        assertTrue(!tokenizer.decode(Arrays.copyOf(stoppedIds, stoppedIds.length - 1), true).contains(stop));

        // streaming gives the same text
        CliRunner streamed = CliRunner.run("generate", dir.toString(), "--prompt", "a", "--raw", "--greedy", "--ignore-eos",
                "--max-new-tokens", "10", "--stream", "--quiet");
        assertEquals(c.get("text").asText(), streamed.out().substring(0, streamed.out().length() - System.lineSeparator().length()));
    }

    @Test
    void chatPromptsUseTheTemplateAndIdsOutsideTheModelAreAClearError() throws Exception {
        Path dir = modelWithTokenizer();
        // the real template's markers (ids > 151k) do not exist in the tiny model's 512-token vocabulary
        CliRunner r = CliRunner.run("generate", dir.toString(), "--prompt", "hi", "--max-new-tokens", "3");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("outside the vocabulary of 512"), r.err());
        Path bad = tmp.resolve("bad.json");
        Files.writeString(bad, "[{\"role\": \"user\"}]");
        expectError("needs a string \"role\" and \"content\"", "generate", dir.toString(), "--messages", bad.toString());
    }

    @Test
    void userErrorsExitWithOneMessage() {
        String m = model();
        expectError("no tokenizer.json", "generate", m, "--prompt", "hello");
        expectError("ids-only", "generate", m, "--ids", "5,6", "--stop", "x");
        expectError("--raw applies to --prompt", "generate", m, "--ids", "5,6", "--raw");
        expectError("temperature", "generate", m, "--ids", "5,6", "--temperature", "0");
        expectError("top-p", "generate", m, "--ids", "5,6", "--top-p", "1.5");
        expectError("must be in 1..", "generate", m, "--ids", "5,6", "--n", "0");
        expectError("feature layer", "generate", m, "--ids", "5,6", "--feature-layer", "9", "--json");
        expectError("--truncate", "generate", m, "--ids", "5,6", "--truncate", "middle");
        expectError("--stream", "generate", m, "--ids", "5,6", "--stream", "--json");
    }

    private static int[] ids(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).asInt();
        return out;
    }

    private static void expectError(String fragment, String... args) {
        CliRunner r = CliRunner.run(args);
        assertEquals(2, r.exitCode(), String.join(" ", args) + "\n" + r.err());
        assertTrue(r.err().startsWith("srr: error: ") && r.err().contains(fragment), r.err());
    }
}
