package dev.srr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.srr.TestData;
import dev.srr.io.Json;
import dev.srr.data.ListDataset;
import dev.srr.data.SafetyList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole chain through the command line on a random tiny model with the real Qwen3 vocabulary and real lists:
 * synth -> features -> split -> train -> eval (from the cache and from the model) -> rank.
 */
class EvaluationPipelineTest {
    @TempDir
    Path tmp;

    @Test
    void featuresTrainEvalAndRankRunEndToEndAndAgreeBetweenCacheAndModel() throws Exception {
        Path tok = Files.createDirectories(tmp.resolve("tokenizer"));
        try (InputStream in = new GZIPInputStream(Files.newInputStream(TestData.resource("tokenizers/qwen3").resolve("tokenizer.json.gz")))) {
            Files.copy(in, tok.resolve("tokenizer.json"));
        }
        Path model = tmp.resolve("model");
        ok(CliRunner.run("synth", "--like", "tiny", "--vocab", "151936", "--tokenizer", tok.toString(), "--quiet", "--out", model.toString()));

        // a few lists of each source keep the test quick: 6 XSTest (3 with harm labels, 3 safe prompts), 1 JBB, 6 HarmBench
        List<SafetyList> sample = ListDataset.read(TestData.resource("lists/sample.jsonl")).lists();
        List<String> lines = Files.readAllLines(TestData.resource("lists/sample.jsonl"));
        List<String> chosen = new ArrayList<>();
        for (int i = 0; i < sample.size(); i++) {
            String src = sample.get(i).source();
            long taken = chosen.stream().filter(l -> l.contains("\"source\": \"" + src + "\"")).count();
            int want = switch (src) {
                case "xstest" -> i < 3 || (i >= 6 && i < 9) ? 1 : 0;
                case "jailbreakbench" -> taken < 1 ? 1 : 0;
                default -> taken < 6 ? 1 : 0;
            };
            if (want == 1) chosen.add(lines.get(i));
        }
        Path data = tmp.resolve("lists.jsonl");
        Files.write(data, chosen);

        Path cache = tmp.resolve("features.safetensors");
        ok(CliRunner.run("features", model.toString(), "--data", data.toString(), "--layers", "all", "--pool", "last,mean",
                "--out", cache.toString(), "--quiet"));
        Path train = tmp.resolve("train.jsonl");
        Path test = tmp.resolve("test.jsonl");
        ok(CliRunner.run("split", "--data", data.toString(), "--test", "0.35", "--seed", "2", "--out-train", train.toString(),
                "--out-test", test.toString()));
        Path ranker = tmp.resolve("ranker");
        ok(CliRunner.run("train", "--features", cache.toString(), "--data", train.toString(), "--layer", "2", "--pool", "mean",
                "--dim", "16", "--heads", "2", "--epochs", "2", "--val", "0.2", "--quiet", "--out", ranker.toString()));

        CliRunner fromCache = ok(CliRunner.run("eval", "--ranker", ranker.toString(), "--features", cache.toString(),
                "--data", test.toString(), "--train-data", train.toString(), "--epochs", "1", "--quiet", "--json"));
        JsonNode cached = Json.parse(fromCache.out(), "eval").get("metrics");
        assertTrue(cached.has("srr (L2, mean)") && cached.has("final layer (L4)") && cached.has("keyword rule"), fromCache.out());
        int testLists = ListDataset.read(test).lists().size();
        assertEquals(testLists, cached.get("srr (L2, mean)").get("lists").asInt());

        // eval MODEL_DIR extracts the ranker's layer and pooling itself: the same features, so the same metrics
        CliRunner fromModel = ok(CliRunner.run("eval", model.toString(), "--ranker", ranker.toString(), "--data", test.toString(), "--quiet", "--json"));
        JsonNode extracted = Json.parse(fromModel.out(), "eval model").get("metrics");
        assertEquals(cached.get("srr (L2, mean)"), extracted.get("srr (L2, mean)"));

        CliRunner rank = ok(CliRunner.run("rank", model.toString(), "--ranker", ranker.toString(), "--data", test.toString(), "--quiet", "--json"));
        CliRunner rankCached = ok(CliRunner.run("rank", "--features", cache.toString(), "--ranker", ranker.toString(), "--data", test.toString(), "--json"));
        assertEquals(rankCached.out(), rank.out());
        List<SafetyList> testData = ListDataset.read(test).lists();
        List<String> ranked = rank.out().lines().toList();
        assertEquals(testData.size(), ranked.size());
        for (int l = 0; l < ranked.size(); l++) {
            JsonNode o = Json.parse(ranked.get(l), "rank line " + l);
            assertEquals(testData.get(l).id(), o.get("id").asText());
            assertEquals(testData.get(l).candidates().size(), o.get("scores").size());
            assertEquals(o.get("order").get(0).asInt(), o.get("chosen").asInt());
        }
    }

    private static CliRunner ok(CliRunner r) {
        assertEquals(0, r.exitCode(), r.err());
        return r;
    }
}
