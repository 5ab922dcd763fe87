package dev.srr.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import dev.srr.io.Json;
import dev.srr.tokenizer.ModelTokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Chat templates from tokenizer_config.json (rendered by srr's Jinja2 interpreter as transformers' apply_chat_template renders them);
 * input: tokenizer_config.json, NUL, messages JSON. The renderer may refuse a template or messages with an
 * error naming the file, and must not crash, hang or blow up in memory. A fixed small tokenizer.json sits
 * beside, so the rendered text is encoded too.
 */
class ChatTemplateFuzzTest {
    private static final byte[] TOKENIZER = tokenizer();

    /**
     * A template is a program: nested loops over range() allocate in proportion to the time they run, which the
     * render deadline bounds (4 s in the fuzzing JVM), while the interpreter's list, string, integer and output limits bound
     * what a render keeps. So this target checks time and retained memory (a 2 GB heap: an OutOfMemoryError is
     * a finding), not a per-input allocation budget.
     */
    private static final long NO_ALLOCATION_BUDGET = Long.MAX_VALUE;

    @DictionaryEntries({
            "{%", "%}", "{{", "}}", "{%-", "-%}", "{#", "#}", "for ", "endfor", "if ", "endif", "elif", "else",
            "set ", "macro ", "endmacro", "call ", "range(", "namespace(", "loop.index0", "loop.last", "messages",
            "message['content']", "add_generation_prompt", "raise_exception(", "|tojson", "|length", "|join(",
            "|trim", ".strip()", ".split(", ".startswith(", "* 1000000", "~", "\"chat_template\"", "\"bos_token\"",
            "\"role\"", "\"content\"", "0", "-1", "1e-300", "1e-45", "1e308", "1e999", "2147483647", "2147483648",
            "4294967296", "9223372036854775807", "18446744073709551616", "-0.0", "0.5", "null", "true", "[]", "{}"})
    @ReaderFuzzTest
    void fuzz(byte[] data) {
        ReaderProperty.check(data.length, null, NO_ALLOCATION_BUDGET, () -> read(data));
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
