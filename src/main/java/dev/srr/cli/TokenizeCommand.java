package dev.srr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.srr.SrrException;
import dev.srr.io.InputFiles;
import dev.srr.io.Json;
import dev.srr.tokenizer.Encoding;
import dev.srr.tokenizer.ModelTokenizer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** {@code srr tokenize}: text to token ids with the model's own tokenizer. */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = {"Encode text into token ids with a Hugging Face tokenizer.json (pure Java).",
                "PATH is a model folder, a .gguf file, a folder holding tokenizer.json, or the tokenizer.json file itself."},
        footer = {"", "Examples:",
                "  srr tokenize models/qwen3 --text \"Hello world\"",
                "  srr tokenize models/llama2 --text \"Hello\" --special --json",
                "  srr tokenize models/llama3 --text-file lines.txt   (one JSON string per line, e.g. \"a\\nb\")"})
public final class TokenizeCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PATH", description = "Model folder, .gguf file, folder with tokenizer.json, or the file.")
    Path path;

    @ArgGroup(multiplicity = "1")
    Input input;

    static final class Input {
        @Option(names = "--text", paramLabel = "TEXT", description = "The text to encode.")
        String text;

        @Option(names = "--text-file", paramLabel = "FILE",
                description = "A file with one JSON string per line (so newlines can be written as \\n); "
                        + "prints one JSON object per line.")
        Path textFile;
    }

    @Option(names = "--special", description = "Add the special tokens the tokenizer adds by default (e.g. BOS).")
    boolean special;

    @Mixin
    JsonOption json;

    @Override
    public void run() {
        ModelTokenizer tokenizer = ModelTokenizer.load(path);
        PrintWriter out = spec.commandLine().getOut();
        if (input.text != null) {
            Encoding e = tokenizer.tokenizer().encode(input.text, special);
            out.println(json.on ? toJson(e) : plain(e));
            return;
        }
        for (String text : readLines(input.textFile)) {
            out.println(toJson(tokenizer.tokenizer().encode(text, special)));
        }
    }

    private static String plain(Encoding e) {
        return java.util.Arrays.stream(e.ids()).mapToObj(Integer::toString).collect(Collectors.joining(","));
    }

    static String toJson(Encoding e) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        var ids = node.putArray("ids");
        for (int id : e.ids()) ids.add(id);
        var tokens = node.putArray("tokens");
        e.tokens().forEach(tokens::add);
        return Json.write(node);
    }

    /** Each non-blank line is one JSON string literal. */
    private static List<String> readLines(Path file) {
        InputFiles.requireNotFolder(file);
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            throw new SrrException(file + ": file not found");
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new SrrException(file + ": not UTF-8 text (one JSON string per line was expected)");
        } catch (IOException e) {
            throw new SrrException(file + ": cannot read: " + e.getMessage());
        }
        java.util.ArrayList<String> texts = new java.util.ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            JsonNode n = Json.parse(lines.get(i), file + " line " + (i + 1));
            if (!n.isTextual()) throw new SrrException(file + " line " + (i + 1) + ": expected a JSON string like \"text\"");
            texts.add(n.asText());
        }
        return texts;
    }
}
