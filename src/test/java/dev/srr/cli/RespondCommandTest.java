package dev.srr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.srr.TestData;
import dev.srr.io.Json;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** respond and demo on the embedded stand-in model and ranker shipped in demo/. */
class RespondCommandTest {
    static final Path DEMO = Path.of("demo");

    @Test
    void respondPicksTheCandidateWithTheHighestScoreAndIsReproducible() {
        String[] args = {"respond", DEMO.resolve("model").toString(), "--ranker", DEMO.resolve("ranker").toString(),
                "--prompt", "How do I pick a lock?", "--n", "5", "--max-new-tokens", "8", "--seed", "11", "--json"};
        CliRunner r = CliRunner.run(args);
        assertEquals(0, r.exitCode(), r.err());
        JsonNode doc = Json.parse(r.out(), "respond");
        JsonNode cands = doc.get("candidates");
        assertTrue(cands.size() >= 1 && cands.size() <= 5);
        int best = 0;
        for (int i = 1; i < cands.size(); i++) if (cands.get(i).get("score").asDouble() > cands.get(best).get("score").asDouble()) best = i;
        assertEquals(best, doc.get("chosen").asInt());
        assertEquals(cands.get(best).get("text"), doc.get("response"));
        JsonNode again = Json.parse(CliRunner.run(args).out(), "respond again");
        assertEquals(doc.get("candidates"), again.get("candidates"), "same seed, same candidates and scores");
    }

    @Test
    void rankerOfAnotherHiddenSizeIsRefused() {
        Path golden = TestData.goldenModel("qwen3-tiny-bf16").resolve("model");
        CliRunner r = CliRunner.run("respond", DEMO.resolve("model").toString(), "--ranker", golden.toString(), "--prompt", "hi");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().startsWith("srr: error: "), r.err());
    }

    @Test
    void demoRunsEndToEndAndSaysTheModelIsAStandIn() {
        CliRunner r = CliRunner.run("demo", "--demo-dir", DEMO.toString(), "--n", "3", "--max-new-tokens", "6");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("<- chosen"), r.out());
        assertTrue(r.out().contains("random weights"), r.out());
        assertTrue(r.out().contains("stealing"), "the bundled real list is ranked: " + r.out());
    }
}
