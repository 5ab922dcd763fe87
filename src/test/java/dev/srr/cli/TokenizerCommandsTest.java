package dev.srr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.srr.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** srr tokenize / detokenize / chat through Main.run, checked against the golden files. */
class TokenizerCommandsTest {
    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    private static Path folder(String name) {
        try {
            return Path.of(TokenizerCommandsTest.class.getResource("/tokenizers/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode goldenCase(String name, int index) {
        return Json.read(folder(name).resolve("golden.json")).get("cases").get(index);
    }

    private static String csv(JsonNode ids) {
        List<String> parts = new ArrayList<>();
        ids.forEach(i -> parts.add(i.asText()));
        return String.join(",", parts);
    }

    @Test
    void tokenizePrintsCommaSeparatedIds() {
        JsonNode c = goldenCase("qwen3", 1);
        Result r = run("tokenize", folder("qwen3").toString(), "--text", c.get("text").asText());
        assertEquals(0, r.code(), r.err());
        assertEquals(csv(c.get("ids")), r.out().strip());
    }

    @Test
    void tokenizeWithSpecialAndJsonPrintsIdsAndTokens() {
        JsonNode c = goldenCase("llama2", 0);
        Result r = run("tokenize", folder("llama2").toString(), "--text", c.get("text").asText(), "--special", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode out = Json.parse(r.out(), "stdout");
        assertEquals(c.get("ids_with_special"), out.get("ids"));
        assertEquals(3, out.get("tokens").size());
    }

    @Test
    void tokenizeTextFileReadsOneJsonStringPerLineIncludingNewlines() throws IOException {
        JsonNode golden = Json.read(folder("llama3").resolve("golden.json")).get("cases");
        Path file = tmp.resolve("lines.txt");
        List<String> lines = new ArrayList<>();
        for (int i : new int[]{7, 17, 18}) lines.add(Json.write(golden.get(i).get("text").asText()));
        Files.write(file, lines);
        Result r = run("tokenize", folder("llama3").toString(), "--text-file", file.toString());
        assertEquals(0, r.code(), r.err());
        String[] outLines = r.out().strip().split("\n");
        assertEquals(3, outLines.length);
        int k = 0;
        for (int i : new int[]{7, 17, 18}) {
            JsonNode out = Json.parse(outLines[k++], "stdout");
            assertEquals(golden.get(i).get("ids"), out.get("ids"));
            assertEquals(golden.get(i).get("tokens"), out.get("tokens"));
        }
    }

    @Test
    void tokenizeAcceptsTheTokenizerFileItself() {
        JsonNode c = goldenCase("llama3", 0);
        Result r = run("tokenize", folder("llama3").resolve("tokenizer.json.gz").toString(), "--text", c.get("text").asText());
        assertEquals(0, r.code(), r.err());
        assertEquals(csv(c.get("ids")), r.out().strip());
    }

    @Test
    void detokenizeDecodesWithAndWithoutSpecialTokens() {
        JsonNode c = goldenCase("qwen3", 19);
        Result full = run("detokenize", folder("qwen3").toString(), "--ids", csv(c.get("ids")));
        Result skipped = run("detokenize", folder("qwen3").toString(), "--ids", csv(c.get("ids")), "--skip-special");
        assertEquals(0, full.code(), full.err());
        assertEquals(c.get("decoded").asText() + System.lineSeparator(), full.out());
        assertEquals(c.get("decoded_skip_special").asText() + System.lineSeparator(), skipped.out());
    }

    @Test
    void chatRendersTheTemplateAndIds() throws IOException {
        JsonNode chat = Json.read(folder("llama3").resolve("golden.json")).get("chat").get(4);
        Path messages = tmp.resolve("conversation.json");
        Files.writeString(messages, Json.write(chat.get("messages")));
        List<String> args = new ArrayList<>(List.of("chat", folder("llama3").toString(), "--messages", messages.toString()));
        if (chat.get("add_generation_prompt").asBoolean()) args.add("--generation-prompt");
        Result text = run(args.toArray(String[]::new));
        assertEquals(0, text.code(), text.err());
        assertEquals(chat.get("text").asText(), text.out());
        args.add("--json");
        Result json = run(args.toArray(String[]::new));
        JsonNode out = Json.parse(json.out(), "stdout");
        assertEquals(chat.get("text"), out.get("text"));
        assertEquals(chat.get("ids"), out.get("ids"));
    }

    private static void assertUserError(Result r, String... fragments) {
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().startsWith("srr: error: "), r.err());
        for (String f : fragments) assertTrue(r.err().contains(f), "expected '" + f + "' in: " + r.err());
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), "no stack trace: " + r.err());
    }

    @Test
    void userMistakesGiveOneClearMessageAndExitCode2() throws IOException {
        assertUserError(run("tokenize", tmp.resolve("missing").toString(), "--text", "x"), "missing", "not found");
        assertUserError(run("detokenize", folder("qwen3").toString(), "--ids", "1,x,3"), "--ids", "\"x\"");
        assertUserError(run("detokenize", folder("llama2").toString(), "--ids", "1,99999999"), "99999999");
        Path bad = tmp.resolve("bad.json");
        Files.writeString(bad, "[{\"role\": \"user\", ");
        assertUserError(run("chat", folder("qwen3").toString(), "--messages", bad.toString()), "bad.json", "invalid JSON");
        Path messages = tmp.resolve("ok.json");
        Files.writeString(messages, "[{\"role\": \"user\", \"content\": \"hi\"}]");
        assertUserError(run("chat", folder("llama2").toString(), "--messages", messages.toString()), "chat_template");
        Path tokenizer = tmp.resolve("tokenizer.json");
        Files.writeString(tokenizer, "{\"model\": {\"type\": \"WordPiece\", \"vocab\": {}}}");
        assertUserError(run("tokenize", tokenizer.toString(), "--text", "x"), "WordPiece", tokenizer.toString());
        Path lines = tmp.resolve("lines.txt");
        Files.writeString(lines, "not json\n");
        assertUserError(run("tokenize", folder("qwen3").toString(), "--text-file", lines.toString()), "line 1");
    }

    @Test
    void helpDescribesTheCommands() {
        for (String command : List.of("tokenize", "detokenize", "chat")) {
            Result r = run(command, "--help");
            assertEquals(0, r.code());
            assertTrue(r.out().contains("Examples:"), r.out());
        }
    }
}
