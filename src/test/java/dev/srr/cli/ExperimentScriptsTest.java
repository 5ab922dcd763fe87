package dev.srr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.srr.io.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs a miniature of each experiment script end to end (scripts/experiment-lists, scripts/experiment-self) on the
 * embedded stand-in model and a few of demo/lists.jsonl, through the srr of this build, so the scripts cannot rot.
 * Checks what each step must produce, not numbers: the stand-in has random weights.
 */
class ExperimentScriptsTest {
    private static final Path ROOT = Path.of(System.getProperty("user.dir"));

    @TempDir
    static Path tmp;
    private static Path srr;
    private static Path data;

    /** A launcher for this build's classes, and a data folder laid out like ../shared/data, from demo/lists.jsonl. */
    @BeforeAll
    static void setUp() throws IOException {
        srr = tmp.resolve("srr");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Files.writeString(srr, "#!/usr/bin/env bash\nexec '" + java + "' --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED "
                + "-cp '" + System.getProperty("java.class.path") + "' dev.srr.cli.Main \"$@\" 2> >(grep -v '^WARNING: Using incubator' >&2)\n");
        assertTrue(srr.toFile().setExecutable(true));
        data = tmp.resolve("data");
        Map<String, List<String>> bySource = new java.util.LinkedHashMap<>();
        for (String line : Files.readAllLines(ROOT.resolve("demo/lists.jsonl"), StandardCharsets.UTF_8)) {
            String source = Json.parse(line, "demo/lists.jsonl").path("source").asText();
            bySource.computeIfAbsent(source, k -> new ArrayList<>()).add(line);
        }
        // labelled sources: 8 lists each; prompt sources for experiment 2: 8 prompts each, taken from the lists
        for (String s : List.of("xstest", "jailbreakbench", "harmbench_classifier_val")) write(s, bySource.get(s).subList(0, 8));
        write("harmbench_behaviors", bySource.get("harmbench_classifier_val").subList(8, 16));
        write("advbench", bySource.get("xstest").subList(8, 16));
    }

    private static void write(String source, List<String> lines) throws IOException {
        Files.createDirectories(data.resolve(source));
        Files.writeString(data.resolve(source).resolve("lists.jsonl"), String.join("\n", lines) + "\n");
    }

    private static String run(List<String> command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "script timed out");
        assertEquals(0, p.exitValue(), "script failed:\n" + output);
        return output;
    }

    @Test
    void experimentListsRunsEndToEnd() throws Exception {
        Path work = tmp.resolve("lists-work"), out = tmp.resolve("lists-out");
        String log = run(List.of("bash", "scripts/experiment-lists", "--srr", srr.toString(), "--model", "demo/model",
                "--data-dir", data.toString(), "--work", work.toString(), "--out", out.toString(), "--bootstrap", "200", "--cost-prompts", "1",
                "--ranker-args", "--dim 16 --heads 2 --epochs 2 --patience 1"));
        checkListsOutputs(work, out, log);
        experimentSelfRunsEndToEnd(work);
    }

    private static void checkListsOutputs(Path work, Path out, String log) throws IOException {
        // the choice comes from the validation sweep and is one of the cached layers and poolings
        String[] best = Files.readString(work.resolve("best.txt")).strip().split(" ");
        int layer = Integer.parseInt(best[0]);
        assertTrue(layer >= 1 && layer <= 4, "layer " + layer);
        assertTrue(List.of("last", "mean").contains(best[1]), best[1]);
        assertTrue(log.contains("chosen on the validation split: layer " + layer + ", " + best[1] + " pooling"), log);

        JsonNode eval = Json.read(out.resolve("eval.json"));
        JsonNode metrics = eval.get("metrics");
        List<String> methods = new ArrayList<>();
        metrics.fieldNames().forEachRemaining(methods::add);
        assertEquals(List.of("srr (L" + layer + ", " + best[1] + ")", "final layer (L4)", "bag-of-words LR", "random (expected)",
                "first candidate", "keyword rule"), methods);
        // every interval holds its point estimate
        for (String m : methods) {
            JsonNode ci = eval.get("ci").get(m);
            for (Iterator<String> it = ci.fieldNames(); it.hasNext(); ) {
                String metric = it.next();
                double v = metrics.get(m).get(metric).asDouble();
                double lo = ci.get(metric).get(0).asDouble(), hi = ci.get(metric).get(1).asDouble();
                assertTrue(lo <= v + 1e-12 && v <= hi + 1e-12, m + " " + metric + ": " + v + " outside [" + lo + ", " + hi + "]");
            }
        }
        assertEquals(200, eval.get("bootstrap").get("replicates").asInt());

        String svg = Files.readString(out.resolve("sweep.svg"));
        assertTrue(svg.startsWith("<?xml") && svg.contains("<polyline class=\"pooling\"") && svg.contains("bag-of-words LR"), "chart");
        String transfer = Files.readString(out.resolve("transfer.txt"));
        for (String s : List.of("xstest", "jailbreakbench", "harmbench_classifier_val")) assertTrue(transfer.contains(s), transfer);
        assertTrue(Files.readString(out.resolve("selection-sweep.txt")).contains("best on"), "selection sweep names its best");
        String costs = Files.readString(out.resolve("costs.txt"));
        assertTrue(costs.contains("training the chosen ranker") && costs.contains("respond, 1 prompts x 8 candidates"), costs);
        assertTrue(Files.readString(out.resolve("features-time.txt")).contains("24 lists"));
    }

    /** Experiment 2 on the same build: keyword lists the stand-in's random text can meet, so usable lists exist. */
    private static void experimentSelfRunsEndToEnd(Path listsWork) throws Exception {
        Path keywords = tmp.resolve("keywords.json");
        // the stand-in answers runs of ':' with or without 'Abs': call 'abs' a refusal and a leading ':' a compliance
        Files.writeString(keywords, "{\"refusal\": [\"abs\"], \"affirmation\": [\":\"], \"refusal_window\": 300}");
        Path work = tmp.resolve("self-work"), out = tmp.resolve("self-out");
        List<String> command = List.of("bash", "scripts/experiment-self", "--srr", srr.toString(), "--model", "demo/model",
                "--data-dir", data.toString(), "--work", work.toString(), "--out", out.toString(), "--prompts", "16", "--n", "8",
                "--max-new-tokens", "8", "--keywords", keywords.toString(), "--choice", listsWork.resolve("best.txt").toString(),
                "--lists-ranker", listsWork.resolve("ranker").toString(), "--bootstrap", "100",
                "--ranker-args", "--dim 16 --heads 2 --epochs 2 --patience 1");
        String log = run(command);
        JsonNode sample = Json.read(out.resolve("sample.json"));
        assertEquals(16, sample.get("prompts").asInt());
        assertEquals(16 * 8, sample.get("sampled_candidates").asInt());
        int usable = sample.get("usable_lists").asInt();
        assertEquals(usable, Files.readAllLines(work.resolve("usable.jsonl")).size());
        assertTrue(usable >= 4, "usable lists: " + usable + "\n" + log);
        // every usable list has a keyword-safe and a keyword-unsafe answer, and each answer's label is the rule's
        for (String line : Files.readAllLines(work.resolve("usable.jsonl"))) {
            JsonNode l = Json.parse(line, "usable.jsonl");
            assertTrue(l.get("id").asText().startsWith("self-"));
            boolean safe = false, unsafe = false;
            for (JsonNode c : l.get("candidates")) {
                String text = c.get("text").asText().toLowerCase(java.util.Locale.ROOT);
                String expected = text.contains("abs") ? "safe" : text.startsWith(":") ? "unsafe" : null;
                assertEquals(expected, c.get("harm").isNull() ? null : c.get("harm").asText(), text);
                safe |= "safe".equals(expected);
                unsafe |= "unsafe".equals(expected);
            }
            assertTrue(safe && unsafe, line);
        }
        JsonNode eval = Json.read(out.resolve("eval.json"));
        assertTrue(eval.get("metrics").has("first candidate") && eval.get("metrics").has("random (expected)"), eval.toString());
        assertTrue(Files.readString(out.resolve("label-agreement.txt")).contains("all"));
        assertTrue(Files.exists(out.resolve("eval-lists-ranker.txt")));

        // the refusal-prefix rule relabels the same answers (nothing sampled again): no refusal phrase = unsafe
        JsonNode relabelled = Json.read(out.resolve("refusal-rule/sample.json"));
        assertEquals("refusal", relabelled.get("rule").asText());
        assertEquals(0, relabelled.get("generated_tokens").asLong());
        assertEquals(sample.get("distinct_candidates"), relabelled.get("distinct_candidates"));
        List<String> refusalUsable = Files.readAllLines(work.resolve("refusal-rule/usable.jsonl"));
        assertEquals(relabelled.get("usable_lists").asInt(), refusalUsable.size());
        assertTrue(refusalUsable.size() >= usable, refusalUsable.size() + " < " + usable);
        int mixed = 0;
        for (String line : Files.readAllLines(work.resolve("sampled.jsonl"))) {
            boolean refusal = false, other = false;
            for (JsonNode c : Json.parse(line, "sampled.jsonl").get("candidates")) {
                boolean r = c.get("text").asText().toLowerCase(java.util.Locale.ROOT).contains("abs");
                refusal |= r;
                other |= !r;
            }
            if (refusal && other) mixed++;
        }
        assertEquals(mixed, refusalUsable.size(), "lists mixing refusals and non-refusals");
        for (String line : refusalUsable) {
            for (JsonNode c : Json.parse(line, "refusal-rule/usable.jsonl").get("candidates")) {
                boolean r = c.get("text").asText().toLowerCase(java.util.Locale.ROOT).contains("abs");
                assertEquals(r ? "safe" : "unsafe", c.get("harm").asText(), c.toString());
            }
        }
        assertTrue(Files.readString(out.resolve("summary.txt")).contains("under the refusal-prefix rule"));

        // sampling again resumes every chunk: nothing is generated again, and the lists are the same
        String before = Files.readString(work.resolve("sampled.jsonl"));
        String again = run(List.of(srr.toString(), "sample", "demo/model", "--data", data.resolve("harmbench_behaviors/lists.jsonl").toString(),
                "--data", data.resolve("advbench/lists.jsonl").toString(), "--data", data.resolve("jailbreakbench/lists.jsonl").toString(),
                "--skip-with", "context", "--limit", "16", "--n", "8", "--max-new-tokens", "8", "--temperature", "0.8", "--top-p", "0.95",
                "--seed", "1", "--chunk", "8", "--keywords", keywords.toString(), "--out", work.resolve("sampled.jsonl").toString(), "--json"));
        assertEquals(0, Json.parse(again.lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow(), "sample").get("generated_tokens").asLong());
        assertEquals(before, Files.readString(work.resolve("sampled.jsonl")));
    }
}
