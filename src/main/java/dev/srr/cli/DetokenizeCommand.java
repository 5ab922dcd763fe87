package dev.srr.cli;

import dev.srr.SrrException;
import dev.srr.tokenizer.ModelTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;

/** {@code srr detokenize}: token ids back to text. */
@Command(name = "detokenize", mixinStandardHelpOptions = true,
        description = {"Decode token ids into text with a Hugging Face tokenizer.json (pure Java).",
                "PATH is a model folder, a .gguf file, a folder holding tokenizer.json, or the tokenizer.json file itself."},
        footer = {"", "Examples:",
                "  srr detokenize models/qwen3 --ids 9707,1879",
                "  srr detokenize models/llama2 --ids 1,15043 --skip-special"})
public final class DetokenizeCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PATH", description = "Model folder, .gguf file, folder with tokenizer.json, or the file.")
    Path path;

    @Option(names = "--ids", required = true, paramLabel = "IDS", description = "Comma-separated token ids, e.g. 1,2,3.")
    String ids;

    @Option(names = "--skip-special", description = "Leave out special tokens (BOS, EOS, chat markers).")
    boolean skipSpecial;

    @Override
    public void run() {
        ModelTokenizer tokenizer = ModelTokenizer.load(path);
        int[] parsed = parseIds(ids, tokenizer.tokenizer().vocabSize());
        spec.commandLine().getOut().println(tokenizer.decode(parsed, skipSpecial));
    }

    static int[] parseIds(String text, long vocabSize) {
        String trimmed = text.strip();
        if (trimmed.startsWith("[") && trimmed.endsWith("]")) trimmed = trimmed.substring(1, trimmed.length() - 1);
        if (trimmed.isBlank()) return new int[0];
        String[] parts = trimmed.split(",");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].strip();
            try {
                out[i] = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw new SrrException("--ids: \"" + p + "\" is not a token id (expected comma-separated integers)");
            }
            if (out[i] < 0 || out[i] >= vocabSize) {
                throw new SrrException("--ids: " + out[i] + " is outside the vocabulary (0.." + (vocabSize - 1) + ")");
            }
        }
        return out;
    }
}
