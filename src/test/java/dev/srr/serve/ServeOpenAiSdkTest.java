package dev.srr.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.srr.cli.CliRunner;
import dev.srr.engine.CaptureRequest;
import dev.srr.engine.LoadedModel;
import dev.srr.engine.Pooling;
import dev.srr.io.Json;
import dev.srr.tokenizer.ModelTokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * srr serve over real HTTP on loopback, with the official OpenAI Java SDK as the client. Answers are checked against
 * independent references: srr generate and srr respond on the same model, and a forward run outside the server.
 */
class ServeOpenAiSdkTest {
    static final String QUESTION = "How do I pick a lock?";
    static ServeFixture fixture;
    static OpenAIClient client;

    @BeforeAll
    static void start() throws Exception {
        fixture = new ServeFixture(ServeLimits.defaults(), 4);
        client = OpenAIOkHttpClient.builder().baseUrl(fixture.base() + "/v1").apiKey("unused").maxRetries(0).build();
    }

    @AfterAll
    static void stop() {
        client.close();
        fixture.close();
    }

    static ChatCompletionCreateParams.Builder ask(String question, int maxTokens) {
        return ChatCompletionCreateParams.builder().model("demo-model").addUserMessage(question).maxCompletionTokens(maxTokens);
    }

    static JsonValue srr(Map<String, Object> fields) {
        return JsonValue.from(fields);
    }

    static JsonNode extension(Map<String, JsonValue> properties) {
        return Json.parse(Json.write(properties.get("srr").convert(Object.class)), "srr");
    }

    @Test
    void greedyAnswerAtKOneEqualsSrrGenerateGreedy(@TempDir Path tmp) throws Exception {
        ChatCompletion c = client.chat().completions().create(ask(QUESTION, 12).temperature(0).putAdditionalBodyProperty("srr",
                srr(Map.of("k", 1))).build());
        Path messages = tmp.resolve("m.json");
        Files.writeString(messages, Json.write(List.of(Map.of("role", "user", "content", QUESTION))));
        CliRunner ref = CliRunner.run("generate", ServeFixture.MODEL.toString(), "--messages", messages.toString(), "--greedy",
                "--max-new-tokens", "12", "--jsonl", "--quiet");
        assertEquals(0, ref.exitCode(), ref.err());
        JsonNode expected = Json.parse(ref.out().lines().findFirst().orElseThrow(), "generate");
        assertEquals(expected.get("text").asText(), c.choices().getFirst().message().content().orElseThrow());
        assertEquals(expected.get("completion_tokens").asInt(), c.usage().orElseThrow().completionTokens());
        assertEquals(expected.get("prompt_tokens").asInt(), c.usage().orElseThrow().promptTokens());
        assertEquals("demo-model", c.model());
        assertEquals(1, extension(c._additionalProperties()).get("k").asInt());
    }

    @Test
    void rankedAnswerIsTheBestOfKAndEqualsSrrRespondWithTheSameSeed() {
        ChatCompletion c = client.chat().completions().create(ask(QUESTION, 10).temperature(0.9).seed(7)
                .putAdditionalBodyProperty("srr", srr(Map.of("k", 5, "candidates", true))).build());
        JsonNode x = extension(c._additionalProperties());
        JsonNode cands = x.get("candidates");
        assertEquals(5, x.get("k").asInt());
        int best = 0;
        for (int i = 1; i < cands.size(); i++) if (cands.get(i).get("score").asDouble() > cands.get(best).get("score").asDouble()) best = i;
        assertEquals(best, x.get("chosen").asInt());
        assertEquals(cands.get(best).get("text").asText(), c.choices().getFirst().message().content().orElseThrow());

        CliRunner ref = CliRunner.run("respond", ServeFixture.MODEL.toString(), "--ranker", ServeFixture.RANKER.toString(), "--prompt",
                QUESTION, "--n", "5", "--max-new-tokens", "10", "--seed", "7", "--temperature", "0.9", "--json");
        assertEquals(0, ref.exitCode(), ref.err());
        JsonNode expected = Json.parse(ref.out(), "respond");
        assertEquals(expected.get("chosen").asInt(), x.get("chosen").asInt());
        assertEquals(expected.get("candidates").size(), cands.size());
        for (int i = 0; i < cands.size(); i++) {
            assertEquals(expected.get("candidates").get(i).get("text"), cands.get(i).get("text"), "candidate " + i);
            assertEquals(expected.get("candidates").get(i).get("score").asDouble(), cands.get(i).get("score").asDouble(), 1e-4);
        }
    }

    @Test
    void nChoicesAreTheBestRankedCandidatesInOrder() {
        ChatCompletion c = client.chat().completions().create(ask(QUESTION, 6).temperature(1.0).seed(3).n(2)
                .putAdditionalBodyProperty("srr", srr(Map.of("k", 4, "candidates", true))).build());
        JsonNode cands = extension(c._additionalProperties()).get("candidates");
        List<double[]> ranked = new ArrayList<>();
        for (int i = 0; i < cands.size(); i++) ranked.add(new double[]{cands.get(i).get("score").asDouble(), i});
        ranked.sort((a, b) -> Double.compare(b[0], a[0]));
        assertEquals(Math.min(2, cands.size()), c.choices().size());
        for (int i = 0; i < c.choices().size(); i++) {
            assertEquals(cands.get((int) ranked.get(i)[1]).get("text").asText(), c.choices().get(i).message().content().orElseThrow());
        }
    }

    @Test
    void streamingAtKOneSendsTheSameAnswerTokenByTokenWithUsage() {
        ChatCompletion whole = client.chat().completions().create(ask(QUESTION, 16).temperature(0).build());
        StringBuilder text = new StringBuilder();
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(ask(QUESTION, 16).temperature(0)
                .putAdditionalBodyProperty("srr", srr(Map.of("k", 1)))
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            s.stream().forEach(chunks::add);
        }
        for (ChatCompletionChunk ch : chunks) {
            if (!ch.choices().isEmpty()) ch.choices().getFirst().delta().content().ifPresent(text::append);
        }
        assertEquals(whole.choices().getFirst().message().content().orElseThrow(), text.toString());
        long contentChunks = chunks.stream().filter(ch -> !ch.choices().isEmpty()
                && ch.choices().getFirst().delta().content().map(t -> !t.isEmpty()).orElse(false)).count();
        assertTrue(contentChunks > 1, "tokens arrive in several chunks: " + contentChunks);
        ChatCompletionChunk last = chunks.getLast();
        assertTrue(last.choices().isEmpty(), "the usage chunk comes last and has no choices");
        assertEquals(whole.usage().orElseThrow().completionTokens(), last.usage().orElseThrow().completionTokens());
        assertEquals(whole.usage().orElseThrow().promptTokens(), last.usage().orElseThrow().promptTokens());
        ChatCompletionChunk finish = chunks.get(chunks.size() - 2);
        assertTrue(finish.choices().getFirst().finishReason().isPresent());
    }

    @Test
    void streamingRankedSendsTheChosenAnswerOfTheSameSeed() {
        ChatCompletion whole = client.chat().completions().create(ask(QUESTION, 8).temperature(0.8).seed(21).build());
        StringBuilder text = new StringBuilder();
        JsonNode[] ext = new JsonNode[1];
        try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(ask(QUESTION, 8).temperature(0.8)
                .seed(21).build())) {
            s.stream().forEach(ch -> {
                if (!ch.choices().isEmpty()) ch.choices().getFirst().delta().content().ifPresent(text::append);
                if (ch._additionalProperties().containsKey("srr")) ext[0] = extension(ch._additionalProperties());
            });
        }
        assertEquals(whole.choices().getFirst().message().content().orElseThrow(), text.toString());
        assertEquals(4, ext[0].get("k").asInt(), "the server's default K");
        assertEquals(extension(whole._additionalProperties()).get("chosen"), ext[0].get("chosen"));
    }

    @Test
    void badRequestsRaiseTheSdksExceptionsNamingTheField() {
        BadRequestException t = assertThrows(BadRequestException.class,
                () -> client.chat().completions().create(ask(QUESTION, 4).temperature(3).build()));
        assertEquals("temperature", t.param().orElseThrow());
        assertEquals("invalid_request_error", t.type().orElseThrow());

        BadRequestException k = assertThrows(BadRequestException.class, () -> client.chat().completions().create(ask(QUESTION, 4)
                .putAdditionalBodyProperty("srr", srr(Map.of("k", 0))).build()));
        assertEquals("srr.k", k.param().orElseThrow());

        String longQuestion = "lock ".repeat(5000);
        BadRequestException ctx = assertThrows(BadRequestException.class,
                () -> client.chat().completions().create(ask(longQuestion, 100).build()));
        assertEquals("context_length_exceeded", ctx.code().orElseThrow());
        assertTrue(ctx.getMessage().contains("4096") && ctx.getMessage().contains("max_tokens asks for 100"), ctx.getMessage());
    }

    @Test
    void unknownEndpointRaisesNotFound() {
        assertThrows(NotFoundException.class, () -> client.completions().create(
                com.openai.models.completions.CompletionCreateParams.builder().model("demo-model").prompt("hi").build()));
    }

    @Test
    void modelsListsTheServedModel() {
        assertEquals(List.of("demo-model"), client.models().list().data().stream().map(m -> m.id()).toList());
    }

    @Test
    void embeddingsAreTheModelsHiddenStatesAtTheAskedLayerAndPooling() {
        CreateEmbeddingResponse r = client.embeddings().create(EmbeddingCreateParams.builder().model("demo-model")
                .inputOfArrayOfStrings(List.of("Hello there", "How do I pick a lock?"))
                .putAdditionalBodyProperty("srr", srr(Map.of("layer", 2, "pooling", "last"))).build());
        ModelTokenizer tok = ModelTokenizer.load(ServeFixture.MODEL);
        try (LoadedModel m = LoadedModel.open(ServeFixture.MODEL, "cpu")) {
            for (int i = 0; i < 2; i++) {
                String text = i == 0 ? "Hello there" : "How do I pick a lock?";
                float[] expected = m.forward().run(List.of(tok.encode(text, true)), CaptureRequest.of(new int[]{2}, Pooling.LAST))
                        .getFirst().hidden(2, Pooling.LAST);
                List<Float> got = r.data().get(i).embedding();
                float[] g = new float[got.size()];
                for (int j = 0; j < g.length; j++) g[j] = got.get(j);
                assertArrayEquals(expected, g, 1e-5f, "input " + i);
            }
        }
    }
}
