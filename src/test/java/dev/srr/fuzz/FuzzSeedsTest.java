package dev.srr.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.srr.SrrException;
import dev.srr.TestData;
import dev.srr.engine.Pooling;
import dev.srr.io.Json;
import dev.srr.io.SafetensorsWriter;
import dev.srr.rank.Activation;
import dev.srr.data.ListDataset;
import dev.srr.rank.Parameters;
import dev.srr.rank.Ranker;
import dev.srr.rank.RankerCheckpoint;
import dev.srr.rank.RankerConfig;
import dev.srr.data.SafetyList;
import dev.srr.rank.Standardization;
import dev.srr.features.TestFeatureCaches;
import dev.srr.tensor.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seed corpora of the fuzz targets, made by srr's own writers (and hand-built tokenizers) so they follow the
 * formats as they are. This test checks that the committed seeds under
 * {@code src/test/resources/dev/srr/fuzz/<Target>Inputs/fuzz/seed-*} are exactly what it generates; after a format
 * change, {@code scripts/fuzz --seeds} (this test with {@code -Dsrr.fuzz.writeSeeds=true}) writes them anew.
 * Inputs found by fuzzing live beside the seeds under other names and are left alone.
 */
class FuzzSeedsTest {
    private static final Path ROOT = Path.of("src/test/resources/dev/srr/fuzz");

    @TempDir
    Path tmp;

    @Test
    void committedSeedsAreWhatTheWritersProduce() throws IOException {
        Map<String, byte[]> seeds = generate();
        boolean write = Boolean.getBoolean("srr.fuzz.writeSeeds");
        for (var e : seeds.entrySet()) {
            Path file = ROOT.resolve(e.getKey());
            if (write) {
                Files.createDirectories(file.getParent());
                Files.write(file, e.getValue());
            } else {
                assertTrue(Files.exists(file), file + " missing: run scripts/fuzz --seeds");
                assertArrayEquals(e.getValue(), Files.readAllBytes(file), file + " is stale: run scripts/fuzz --seeds");
            }
        }
    }

    /** What each target does with an input, to run the seeds through outside Jazzer. */
    private interface Target {
        void read(byte[] data) throws IOException;
    }

    private static final Map<String, Target> TARGETS = Map.of(
            "SafetensorsFuzzTest", SafetensorsFuzzTest::read,
            "ModelConfigFuzzTest", ModelConfigFuzzTest::read,
            "TokenizerFuzzTest", TokenizerFuzzTest::read,
            "CandidateListsFuzzTest", CandidateListsFuzzTest::read,
            "FeatureCacheFuzzTest", FeatureCacheFuzzTest::read,
            "RankerCheckpointFuzzTest", RankerCheckpointFuzzTest::read,
            "ChatTemplateFuzzTest", ChatTemplateFuzzTest::read);

    /** Seeds made from reported bugs whose right result is an error (bug 22's right result is the ids). */
    private static final java.util.Set<String> REFUSED = java.util.Set.of("seed-bug05-duplicate-name",
            "seed-bug21-shape-overflow", "seed-bug23-zero-heads", "seed-bug23-zero-kv-heads");

    /**
     * Seeds of valid files are accepted whole (a harness that refused them would fuzz nothing but error paths);
     * the seeds made from reported bugs are refused with a user error.
     */
    @Test
    void validSeedsAreAcceptedAndBugSeedsRefused() throws IOException {
        for (var e : generate().entrySet()) {
            String target = e.getKey().substring(0, Math.max(0, e.getKey().indexOf("Inputs/")));
            if (!TARGETS.containsKey(target)) continue;
            boolean bug = REFUSED.stream().anyMatch(e.getKey()::endsWith);
            try {
                TARGETS.get(target).read(e.getValue());
                assertTrue(!bug, e.getKey() + " was accepted");
            } catch (SrrException ex) {
                assertTrue(bug, e.getKey() + " was refused: " + ex.getMessage());
            }
        }
    }

    private Map<String, byte[]> generate() throws IOException {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        safetensors(seeds);
        configs(seeds);
        tokenizers(seeds);
        lists(seeds);
        featureCaches(seeds);
        rankers(seeds);
        chatTemplates(seeds);
        return seeds;
    }

    private static void put(Map<String, byte[]> seeds, String target, String name, byte[] bytes) {
        seeds.put(target + "Inputs/fuzz/seed-" + name, bytes);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] resource(String path) throws IOException {
        return Files.readAllBytes(TestData.resource(path));
    }

    // --- safetensors -------------------------------------------------------------------------------------

    private void safetensors(Map<String, byte[]> seeds) throws IOException {
        Path f = tmp.resolve("a.safetensors");
        new SafetensorsWriter().metadata("format", "pt")
                .addF32("a", new long[]{2, 3}, new float[]{1, 2, 3, 4, 5, 6})
                .add("b", DType.F16, new long[]{4}, out -> out.write(new byte[8]))
                .add("c", DType.BF16, new long[]{2, 2}, out -> out.write(new byte[]{0, 0x3f, 0, 0x40, 0, (byte) 0xc0, 0, 0}))
                .addF32("empty", new long[]{0, 5}, new float[0])
                .write(f);
        put(seeds, "SafetensorsFuzzTest", "dtypes", Files.readAllBytes(f));
        put(seeds, "SafetensorsFuzzTest", "bug05-duplicate-name", resource("bugs/05-safetensors-duplicate-name/model.safetensors"));
        put(seeds, "SafetensorsFuzzTest", "bug21-shape-overflow", resource("bugs/21-safetensors-shape-overflow/model.safetensors"));
    }

    // --- config.json -------------------------------------------------------------------------------------

    private static void configs(Map<String, byte[]> seeds) throws IOException {
        for (String m : TestData.GOLDEN_MODELS) {
            Path dir = TestData.goldenModel(m).resolve("model");
            put(seeds, "ModelConfigFuzzTest", m, ReaderProperty.join(compact(dir.resolve("config.json")),
                    compact(dir.resolve("generation_config.json"))));
        }
        ObjectNode llama = (ObjectNode) Json.read(TestData.goldenModel("llama-tiny-bf16").resolve("model/config.json"));
        llama.remove("rope_parameters");
        llama.put("rope_theta", 500000.0);
        llama.putObject("rope_scaling").put("rope_type", "llama3").put("factor", 32.0).put("low_freq_factor", 1.0)
                .put("high_freq_factor", 4.0).put("original_max_position_embeddings", 8192);
        llama.putArray("eos_token_id").add(2).add(1);
        put(seeds, "ModelConfigFuzzTest", "rope-scaling-llama3", utf8(Json.write(llama)));
        llama.putObject("rope_scaling").put("type", "linear").put("factor", 2.0);
        llama.remove("head_dim");
        put(seeds, "ModelConfigFuzzTest", "rope-scaling-linear", utf8(Json.write(llama)));
        put(seeds, "ModelConfigFuzzTest", "bug23-zero-heads", resource("bugs/23-config-zero-heads/config.json"));
        put(seeds, "ModelConfigFuzzTest", "bug23-zero-kv-heads", resource("bugs/23-config-zero-heads/kv/config.json"));
    }

    private static byte[] compact(Path json) {
        return utf8(Json.write(Json.read(json)));
    }

    // --- tokenizer.json ----------------------------------------------------------------------------------

    private static void tokenizers(Map<String, byte[]> seeds) throws IOException {
        String text = "Hello the world in 2024! \uD83D\uDE42 <|eot_id|> \u00fcn\u00efc\u00f6d\u00e9\n\ttabs  end";
        put(seeds, "TokenizerFuzzTest", "byte-level", ReaderProperty.join(utf8(Json.write(TinyTokenizers.byteLevel())), utf8(text)));
        put(seeds, "TokenizerFuzzTest", "sentencepiece", ReaderProperty.join(utf8(Json.write(TinyTokenizers.sentencePiece())), utf8(text)));
        put(seeds, "TokenizerFuzzTest", "wordpiece-like", ReaderProperty.join(utf8(Json.write(TinyTokenizers.wordPieceLike())), utf8(text)));
        put(seeds, "TokenizerFuzzTest", "metaspace", ReaderProperty.join(utf8(Json.write(TinyTokenizers.metaspace())), utf8(text)));
        put(seeds, "TokenizerFuzzTest", "bug22-huge-id", ReaderProperty.join(resource("bugs/22-tokenizer-huge-vocab-id/tokenizer.json"),
                utf8("abab ba")));
        seeds.put("chat-template-tokenizer.json", utf8(Json.write(TinyTokenizers.byteLevel())));
    }

    // --- lists -------------------------------------------------------------------------------------------

    private static void lists(Map<String, byte[]> seeds) throws IOException {
        String shortest = Files.readAllLines(TestData.resource("lists/sample.jsonl")).stream()
                .min(java.util.Comparator.comparingInt(String::length)).orElseThrow();
        put(seeds, "CandidateListsFuzzTest", "sample-line", utf8(shortest + "\n"));
        put(seeds, "CandidateListsFuzzTest", "handmade", utf8("""
                {"id": "a", "source": "x", "prompt": "How do I pick a lock?", "prompt_label": "unsafe", "candidates": [{"text": "Sorry, I can't.", "label": "safe"}, {"text": "Sure: ...", "label": "unsafe", "attack_prompt": "Pretend..."}]}

                {"id": 7, "messages": [{"role": "system", "content": "Be nice."}, {"role": "user", "content": "Hi"}], "candidates": [{"text": "Hello", "harm": null, "label": "safe"}, {"text": "No", "harm": "full_refusal"}]}
                {"id": "c", "prompt": "How do I pick a lock?", "candidates": []}
                """));
    }

    // --- feature caches ----------------------------------------------------------------------------------

    private void featureCaches(Map<String, byte[]> seeds) throws IOException {
        List<SafetyList> lists = ListDataset.read(writeLines("l.jsonl", """
                {"id": "a", "prompt": "p", "candidates": [{"text": "x", "label": "safe"}, {"text": "y", "label": "unsafe"}]}
                {"id": "b", "prompt": "q", "candidates": [{"text": "z", "label": "unsafe"}]}
                {"id": "c", "prompt": "r", "candidates": []}
                """)).lists();
        Path f = tmp.resolve("features.safetensors");
        TestFeatureCaches.write(f, lists, 4, 4, new int[]{1, 4}, List.of(Pooling.LAST, Pooling.MEAN),
                TestFeatureCaches.noisySafetySignal(1, 4));
        put(seeds, "FeatureCacheFuzzTest", "two-layers-two-poolings", Files.readAllBytes(f));
        TestFeatureCaches.write(f, lists.subList(0, 1), 2, 1, new int[]{0}, List.of(Pooling.LAST),
                TestFeatureCaches.noisySafetySignal(2, 2));
        put(seeds, "FeatureCacheFuzzTest", "one-list", Files.readAllBytes(f));
    }

    private Path writeLines(String name, String text) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    // --- ranker checkpoints ------------------------------------------------------------------------------

    private void rankers(Map<String, byte[]> seeds) throws IOException {
        for (boolean standardize : new boolean[]{true, false}) {
            RankerConfig cfg = new RankerConfig(4, 4, 2, 8, 0.1, 0.1, standardize, standardize ? Activation.GELU : Activation.RELU);
            Parameters params = cfg.zeroParameters();
            int k = 0;
            for (Parameters.Param p : params.all()) {
                for (int i = 0; i < p.size(); i++) p.values()[i] = Math.sin(++k) * 0.5;
            }
            Standardization std = standardize ? new Standardization(new float[]{0, 1, -1, 0.5f}, new float[]{1, 2, 0.5f, 1}) : null;
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("model", "tiny:llama:L4:d4:v32");
            spec.put("hidden_size", 4);
            spec.put("layer", 1);
            spec.put("pooling", "last");
            spec.put("encode", "continuation");
            Path dir = tmp.resolve("ranker-" + standardize);
            new RankerCheckpoint(new Ranker(cfg, params, std), spec, "0".repeat(64), 1L, null, Map.of("best_epoch", 1)).save(dir);
            put(seeds, "RankerCheckpointFuzzTest", standardize ? "standardized-gelu" : "plain-relu",
                    ReaderProperty.join(Files.readAllBytes(dir.resolve(RankerCheckpoint.METADATA)),
                            Files.readAllBytes(dir.resolve(RankerCheckpoint.WEIGHTS))));
        }
    }

    // --- chat templates ----------------------------------------------------------------------------------

    private static void chatTemplates(Map<String, byte[]> seeds) throws IOException {
        JsonNode cases = Json.read(TestData.resource("chat-templates/cases.json")).get("cases");
        List<String> seen = new ArrayList<>();
        for (JsonNode c : cases) {
            String name = c.get("name").asText();
            if (seen.contains(name)) continue;
            seen.add(name);
            ObjectNode config = Json.MAPPER.createObjectNode().put("bos_token", "<s>").put("eos_token", "</s>")
                    .put("chat_template", c.get("template").asText());
            put(seeds, "ChatTemplateFuzzTest", name, ReaderProperty.join(utf8(Json.write(config)), utf8(Json.write(c.get("messages")))));
        }
        ArrayNode messages = Json.MAPPER.createArrayNode();
        messages.addObject().put("role", "user").put("content", "What is 2+2?");
        messages.addObject().put("role", "assistant").put("content", "<think>\nadd\n</think>\n4");
        messages.addObject().put("role", "user").put("content", "Thanks");
        for (String model : new String[]{"llama3", "qwen3"}) {
            // the real template with the token fields; the table of added tokens would only make the seed long
            JsonNode full = Json.read(TestData.resource("tokenizers/" + model + "/tokenizer_config.json"));
            ObjectNode config = Json.MAPPER.createObjectNode();
            for (String field : new String[]{"bos_token", "eos_token", "pad_token", "chat_template"}) {
                if (full.has(field)) config.set(field, full.get(field));
            }
            put(seeds, "ChatTemplateFuzzTest", model, ReaderProperty.join(utf8(Json.write(config)), utf8(Json.write(messages))));
        }
    }
}
