package dev.srr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.srr.TestData;
import dev.srr.engine.CaptureRequest;
import dev.srr.engine.LoadedModel;
import dev.srr.engine.Pooling;
import dev.srr.engine.SequenceOutput;
import dev.srr.io.Json;
import dev.srr.model.ConfigReader;
import dev.srr.model.ModelConfig;
import dev.srr.tokenizer.ModelTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GGUF files through the commands: convert, info, generate, rank, and the demo on the default model. */
class GgufCommandsTest {
    @TempDir
    Path tmp;

    private static SequenceOutput allStates(Path model, int[] ids) {
        try (LoadedModel m = LoadedModel.open(model, "cpu")) {
            CaptureRequest req = new CaptureRequest(IntStream.rangeClosed(0, m.config().numLayers()).toArray(),
                    new Pooling[]{Pooling.ALL}, false, CaptureRequest.Logits.ALL);
            return m.forward().run(List.of(ids), req).getFirst();
        }
    }

    @Test
    void convertedSmolLm2FolderIsTheSameModelBitForBit() {
        Path out = tmp.resolve("smollm2");
        CliRunner r = CliRunner.run("convert", TestData.smolLm2().toString(), "--out", out.toString(), "--json");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(134_515_008L, Json.parse(r.out(), "stdout").get("parameters").asLong());
        for (String f : List.of("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json", "generation_config.json")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        ModelConfig c = ConfigReader.read(out.resolve("config.json"));
        assertEquals(30, c.numLayers());
        assertEquals(1e-5f, c.rmsNormEps());
        assertArrayEquals(new int[]{2}, c.eosTokenIds());

        ModelTokenizer fromGguf = ModelTokenizer.load(TestData.smolLm2());
        ModelTokenizer fromFolder = ModelTokenizer.load(out);
        JsonNode messages = Json.parse("[{\"role\":\"user\",\"content\":\"What is 12 + 30?\"}]", "test");
        assertEquals(fromGguf.renderChat(messages, true), fromFolder.renderChat(messages, true));
        int[] ids = fromFolder.encodeChat(messages, true);
        assertArrayEquals(fromGguf.encodeChat(messages, true), ids);
        assertArrayEquals(fromGguf.eosIds(), fromFolder.eosIds());

        SequenceOutput a = allStates(TestData.smolLm2(), ids);
        SequenceOutput b = allStates(out, ids);
        for (int k = 0; k <= 30; k++) assertArrayEquals(a.hidden(k, Pooling.ALL), b.hidden(k, Pooling.ALL), "hidden_states." + k);
        assertArrayEquals(a.logits(), b.logits());
    }

    @Test
    void convertedTinyGgufReadsBackAsItsGoldenConfig() {
        Path out = tmp.resolve("qwen3");
        CliRunner r = CliRunner.run("convert", TestData.resource("gguf/tiny-qwen3-tiny-bf16.gguf").toString(), "--out", out.toString(),
                "--dtype", "bf16");
        assertEquals(0, r.exitCode(), r.err());
        ModelConfig expected = ConfigReader.read(TestData.goldenModel("qwen3-tiny-bf16").resolve("model/config.json"));
        ModelConfig got = ConfigReader.read(out.resolve("config.json"));
        assertEquals(List.of(expected.modelType(), expected.vocabSize(), expected.hiddenSize(), expected.intermediateSize(),
                        expected.numLayers(), expected.numHeads(), expected.numKvHeads(), expected.headDim(), expected.rmsNormEps(),
                        expected.rope(), expected.maxPositions(), expected.tiedEmbeddings(), expected.attentionBias(), expected.qkNorm()),
                List.of(got.modelType(), got.vocabSize(), got.hiddenSize(), got.intermediateSize(), got.numLayers(), got.numHeads(),
                        got.numKvHeads(), got.headDim(), got.rmsNormEps(), got.rope(), got.maxPositions(), got.tiedEmbeddings(),
                        got.attentionBias(), got.qkNorm()));
        assertFalse(Files.exists(out.resolve("tokenizer.json")), "a GGUF without tokenizer metadata gives no tokenizer files");
    }

    @Test
    void convertRefusesWhatItCannotWriteAndLeavesNothing() throws Exception {
        Path out = tmp.resolve("llama3");
        CliRunner r = CliRunner.run("convert", TestData.resource("gguf/tiny-llama-tiny-bf16.gguf").toString(), "--out", out.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("RoPE frequency factors"), r.err());
        assertFalse(Files.exists(out));
        try (var s = Files.list(tmp)) {
            assertEquals(0, s.count(), "no temporary folder left behind");
        }
        Path folder = TestData.goldenModel("qwen3-tiny-bf16").resolve("model");
        r = CliRunner.run("convert", folder.toString(), "--out", out.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("not a GGUF file"), r.err());
    }

    @Test
    void infoAndGreedyGenerateOnTheGgufFile() {
        CliRunner r = CliRunner.run("info", TestData.smolLm2().toString(), "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode info = Json.parse(r.out(), "stdout");
        assertEquals("gguf q4_1", info.get("format").asText());
        assertEquals(576, info.get("hidden_size").asInt());
        assertEquals(8, info.get("default_feature_layer").asInt());
        r = CliRunner.run("generate", TestData.smolLm2().toString(), "--prompt", "What is the capital of France?", "--greedy",
                "--max-new-tokens", "16", "--quiet");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("Paris"), r.out());
    }

    @Test
    void demoRunsTheRealModelWithItsRankerAndRanksAHeldOutList() {
        CliRunner r = CliRunner.run("demo", "--model", TestData.smolLm2().toString(), "--prompts", "1", "--n", "3",
                "--max-new-tokens", "8");
        assertEquals(0, r.exitCode(), r.err());
        assertFalse(r.out().contains("STAND-IN"), r.out());
        assertTrue(r.out().contains("demo/smollm2-ranker"), r.out());
        assertTrue(r.out().contains("1. respond") && r.out().contains("2. rank"), r.out());
        assertEquals(2, r.out().split("<- chosen", -1).length - 1, "one choice per part: " + r.out());
    }

    @Test
    void rankScoresHeldOutListsFromTheGgufModel() {
        CliRunner r = CliRunner.run("rank", TestData.smolLm2().toString(), "--ranker", "demo/smollm2-ranker", "--data",
                "demo/heldout.jsonl", "--json");
        assertEquals(0, r.exitCode(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(12, lines.length);
        for (String line : lines) {
            JsonNode doc = Json.parse(line, "rank output");
            assertEquals(doc.get("scores").size(), doc.get("order").size(), line);
            assertEquals(doc.get("order").get(0), doc.get("chosen"), line);
        }
    }
}
