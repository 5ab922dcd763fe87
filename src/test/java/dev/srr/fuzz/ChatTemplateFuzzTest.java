package dev.srr.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import dev.srr.io.Json;
import dev.srr.tokenizer.ModelTokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Chat templates from tokenizer_config.json (rendered by Jinjava as transformers' apply_chat_template does);
 * input: tokenizer_config.json, NUL, messages JSON. The renderer may refuse a template or messages with an
 * error naming the file, and must not crash, hang or blow up in memory. A fixed small tokenizer.json sits
 * beside, so the rendered text is encoded too.
 */
class ChatTemplateFuzzTest {
    private static final byte[] TOKENIZER = tokenizer();

    /**
     * Jinjava allocates a few kilobytes for every expression it evaluates, and a template may print each message
     * several times: a larger budget than the parsers', still far below what a runaway loop or string takes.
     */
    private static final long BASE_BUDGET = 192L << 20;
    private static final long BUDGET_PER_BYTE = 16L << 10;

    @DictionaryEntries({
            "{%", "%}", "{{", "}}", "{%-", "-%}", "{#", "#}", "for ", "endfor", "if ", "endif", "elif", "else",
            "set ", "macro ", "endmacro", "call ", "range(", "namespace(", "loop.index0", "loop.last", "messages",
            "message['content']", "add_generation_prompt", "raise_exception(", "|tojson", "|length", "|join(",
            "|trim", ".strip()", ".split(", ".startswith(", "* 1000000", "~", "\"chat_template\"", "\"bos_token\"",
            "\"role\"", "\"content\"", "0", "-1", "1e-300", "1e-45", "1e308", "1e999", "2147483647", "2147483648",
            "4294967296", "9223372036854775807", "18446744073709551616", "-0.0", "0.5", "null", "true", "[]", "{}"})
    @ReaderFuzzTest
    void fuzz(byte[] data) {
        ReaderProperty.check(data.length, null, BASE_BUDGET + BUDGET_PER_BYTE * data.length, () -> read(data));
    }

    /** What the target does with one input; throws {@link dev.srr.SrrException} for input it refuses. */
    static void read(byte[] data) throws IOException {
        Path dir = ReaderProperty.folder(data, "tokenizer_config.json", "messages.json");
        Files.write(dir.resolve("tokenizer.json"), TOKENIZER);
        ModelTokenizer m = ModelTokenizer.load(dir);
        if (!m.hasChatTemplate() || !Files.exists(dir.resolve("messages.json"))) return;
        var messages = Json.read(dir.resolve("messages.json"));
        for (boolean generationPrompt : new boolean[]{false, true}) {
            m.encodeChat(messages, generationPrompt);
        }
    }

    private static byte[] tokenizer() {
        try (var in = ChatTemplateFuzzTest.class.getResourceAsStream("chat-template-tokenizer.json")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
