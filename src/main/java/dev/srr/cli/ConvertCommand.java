package dev.srr.cli;

import dev.srr.SrrException;
import dev.srr.io.GgufFile;
import dev.srr.io.Json;
import dev.srr.model.Checkpoint;
import dev.srr.model.CheckpointWriter;
import dev.srr.model.ConfigWriter;
import dev.srr.model.ModelConfig;
import dev.srr.tensor.DType;
import dev.srr.tensor.Tensor;
import dev.srr.tokenizer.GgufTokenizerFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "convert", mixinStandardHelpOptions = true,
        description = {"Write a GGUF model as a Hugging Face checkpoint folder: config.json, model.safetensors (sharded when "
                + "large), generation_config.json, tokenizer.json and tokenizer_config.json with the chat template.",
                "Quantized tensors are dequantized exactly to float32 first; --dtype bf16 or f16 then rounds each value once. "
                        + "llama-architecture q/k rows are written in Hugging Face order, so transformers and srr load the folder "
                        + "as the same model."})
public final class ConvertCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "MODEL.gguf", description = "The GGUF file to convert.")
    Path model;

    @Option(names = "--out", required = true, description = "New checkpoint folder (must not exist or be empty).")
    Path out;

    @Option(names = "--dtype", defaultValue = "f32", description = "Weight dtype in the folder: f32, bf16 or f16 (default: ${DEFAULT-VALUE}).")
    String dtype;

    @Option(names = "--shard-mb", defaultValue = "5000", description = "Largest safetensors shard in MB (default: ${DEFAULT-VALUE}).")
    long shardMb;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        if (!Checkpoint.isGguf(model)) throw new SrrException(model + ": not a GGUF file (srr convert reads .gguf files)");
        DType dt = DType.parse(dtype);
        long start = System.nanoTime();
        GgufTokenizerFiles tokenizer;
        try (GgufFile f = GgufFile.open(model)) {
            tokenizer = f.metadata().has("tokenizer.ggml.model") ? GgufTokenizerFiles.from(f.metadata()) : null;
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        try (Checkpoint ck = Checkpoint.openGguf(model, DType.F32)) {
            ModelConfig c = ck.config();
            Map<String, Object> files = new LinkedHashMap<>();
            files.put("config.json", ConfigWriter.config(c, dt));
            if (tokenizer != null) {
                files.put("generation_config.json", tokenizer.generationConfig());
                files.put("tokenizer.json", tokenizer.tokenizerJson());
                files.put("tokenizer_config.json", tokenizer.tokenizerConfig());
            }
            List<CheckpointWriter.Entry> entries = new ArrayList<>();
            long params = 0;
            for (Tensor t : ck.weights().all().values()) {
                entries.add(CheckpointWriter.entryOf(t, dt));
                params += t.size();
            }
            CheckpointWriter.write(out, files, entries, shardMb * 1_000_000L);
            summary.put("out", out.toString());
            summary.put("family", c.modelType());
            summary.put("layers", c.numLayers());
            summary.put("parameters", params);
            summary.put("dtype", dt.name().toLowerCase());
            summary.put("files", files.keySet());
            summary.put("seconds", Math.round((System.nanoTime() - start) / 1e7) / 100.0);
        }
        if (json.on) {
            spec.commandLine().getOut().println(Json.write(summary));
        } else {
            spec.commandLine().getOut().printf("srr convert: wrote %s (%s, %d layers, %,d parameters, %s) in %.1f s%n", out,
                    summary.get("family"), summary.get("layers"), (long) summary.get("parameters"), summary.get("dtype"), summary.get("seconds"));
        }
        return 0;
    }
}
