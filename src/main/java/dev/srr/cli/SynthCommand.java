package dev.srr.cli;

import dev.srr.SrrException;
import dev.srr.model.SynthPreset;
import dev.srr.model.Synthesizer;
import dev.srr.tensor.DType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

@Command(name = "synth", mixinStandardHelpOptions = true,
        description = {"Write a checkpoint folder with a published model's shapes and seeded random weights "
                + "(config.json, sharded safetensors, index), for benchmarks and tests without downloads.",
                "Presets: tiny, qwen2.5-0.5b, qwen2.5-1.5b, qwen2.5-7b, qwen3-0.6b, llama-3.2-1b, llama-3.1-8b, mistral-7b, vicuna-7b."})
public final class SynthCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--like", required = true, description = "Preset whose shapes to copy.")
    String like;

    @Option(names = "--dtype", defaultValue = "bf16", description = "f32, f16 or bf16 (default: ${DEFAULT-VALUE}).")
    String dtype;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, description = "New checkpoint folder.")
    Path out;

    @Option(names = "--layers", description = "Override the number of layers.")
    Integer layers;
    @Option(names = "--hidden", description = "Override the hidden size.")
    Integer hidden;
    @Option(names = "--intermediate", description = "Override the MLP size.")
    Integer intermediate;
    @Option(names = "--heads", description = "Override the attention heads.")
    Integer heads;
    @Option(names = "--kv-heads", description = "Override the key/value heads.")
    Integer kvHeads;
    @Option(names = "--vocab", description = "Override the vocabulary size.")
    Integer vocab;

    @Option(names = "--tie-embeddings", negatable = true, description = "Share the embedding with the output projection (default: as the preset).")
    Boolean tie;

    @Option(names = "--shard-mb", defaultValue = "2000", description = "Largest shard in MB (default: ${DEFAULT-VALUE}).")
    long shardMb;

    @Option(names = "--tokenizer", description = "Folder whose tokenizer.json and tokenizer_config.json to copy in.")
    Path tokenizer;

    @Mixin
    QuietOption quiet;

    @Override
    public Integer call() {
        String[] names = {"--layers", "--hidden", "--intermediate", "--heads", "--kv-heads", "--vocab"};
        Integer[] values = {layers, hidden, intermediate, heads, kvHeads, vocab};
        for (int i = 0; i < names.length; i++) {
            // a checkpoint with a zero or negative size is one srr itself would refuse to read
            if (values[i] != null && values[i] < 1) throw new SrrException(names[i] + " must be at least 1, got " + values[i]);
        }
        if (shardMb < 1) throw new SrrException("--shard-mb must be at least 1, got " + shardMb);
        SynthPreset p = SynthPreset.named(like).with(layers, hidden, intermediate, heads, kvHeads, vocab);
        if (tie != null) p = p.withTiedEmbeddings(tie);
        if (p.hidden() % p.heads() != 0 || p.heads() % p.kvHeads() != 0) {
            throw new SrrException("--hidden must be a multiple of --heads, and --heads a multiple of --kv-heads");
        }
        if (tokenizer != null) {
            // read whole before anything is written, so a broken tokenizer never lands in a new checkpoint
            dev.srr.io.InputFiles.requireFolder(tokenizer, "a folder with tokenizer.json");
            if (!Files.exists(tokenizer.resolve("tokenizer.json"))) throw new SrrException(tokenizer + ": no tokenizer.json");
            long ids = dev.srr.tokenizer.ModelTokenizer.load(tokenizer).tokenizer().vocabSize();
            if (ids > p.vocab()) {
                throw new SrrException(tokenizer.resolve("tokenizer.json") + ": ids reach " + (ids - 1)
                        + ", beyond the synthesized vocabulary of " + p.vocab() + " (--vocab)");
            }
        }
        DType dt = DType.parse(dtype);
        PrintWriter err = spec.commandLine().getErr();
        AtomicLong done = new AtomicLong();
        long start = System.nanoTime();
        long[] lastReport = {0};
        Synthesizer.write(p, dt, seed, shardMb * 1_000_000L, out, bytes -> {
            long total = done.addAndGet(bytes);
            long now = System.nanoTime();
            if (!quiet.on && now - lastReport[0] > 2_000_000_000L) {
                lastReport[0] = now;
                err.printf("\rsynth: %,d MB written (%.0f MB/s)", total / 1_000_000, total / 1e6 / ((now - start) / 1e9));
                err.flush();
            }
        });
        if (tokenizer != null) {
            try {
                for (String f : new String[]{"tokenizer.json", "tokenizer_config.json"}) {
                    if (Files.isRegularFile(tokenizer.resolve(f))) {
                        Files.copy(tokenizer.resolve(f), out.resolve(f), StandardCopyOption.REPLACE_EXISTING);
                        dev.srr.io.AtomicFiles.publish(out.resolve(f), "rw-r--r--");
                    }
                }
            } catch (IOException e) {
                throw new SrrException(out + ": cannot copy tokenizer: " + e.getMessage());
            }
        }
        if (!quiet.on) err.printf("\rsynth: wrote %s (%,d MB) in %.1f s%n", out, done.get() / 1_000_000, (System.nanoTime() - start) / 1e9);
        return 0;
    }
}
