package dev.srr.model;

import dev.srr.SrrException;
import dev.srr.io.GgufFile;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A model's config and weights: a Hugging Face checkpoint folder (config.json and safetensors) or a GGUF file
 * (llama.cpp, Ollama, LM Studio), quantized or not.
 *
 * @param source the folder or the {@code .gguf} file it was opened from
 */
public record Checkpoint(Path source, ModelConfig config, Weights weights) implements AutoCloseable {

    /**
     * Opens {@code path}: a GGUF file, or a folder holding config.json and safetensors. Everything is checked
     * (config fields, every tensor's presence, shape and type) before this returns.
     */
    public static Checkpoint open(Path path) {
        if (isGguf(path)) return openGguf(path, null);
        if (!Files.isDirectory(path)) {
            throw new SrrException(path + (Files.exists(path) ? ": not a checkpoint folder or GGUF file" : ": not found"));
        }
        Path configFile = path.resolve("config.json");
        if (!Files.exists(configFile)) throw new SrrException(path + ": no config.json");
        ModelConfig config = ConfigReader.read(configFile);
        Weights weights = Weights.open(path);
        try {
            ModelWeights.check(config, weights);
            weights = LoadQuantization.apply(weights, config);
        } catch (RuntimeException e) {
            weights.close();
            throw e;
        }
        return new Checkpoint(path, config, weights);
    }

    /** True when {@code path} is a file in GGUF format (by its magic, whatever its name). */
    public static boolean isGguf(Path path) {
        return GgufFile.looksLikeGguf(path);
    }

    /**
     * Opens a GGUF file with its quantized tensors expanded to {@code dtype} (null: as {@link GgufWeights#targetDType}
     * says, by default kept in place). Float projections are then quantized if {@code -Dsrr.quantize} asks
     * ({@link LoadQuantization}).
     */
    public static Checkpoint openGguf(Path path, dev.srr.tensor.DType dtype) {
        GgufFile file = GgufFile.open(path);
        ModelConfig config;
        Weights weights;
        try {
            config = GgufConfig.read(file);
            weights = GgufWeights.load(file, config, dtype != null ? dtype : GgufWeights.targetDType(file));
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
        try {
            return new Checkpoint(path, config, LoadQuantization.apply(weights, config));
        } catch (RuntimeException e) {
            weights.close();
            throw e;
        }
    }

    /** A short identity for caches and ranker metadata: file or folder name, family and shape. */
    public String identity() {
        return source.toAbsolutePath().normalize().getFileName() + ":" + config.modelType() + ":L" + config.numLayers()
                + ":d" + config.hiddenSize() + ":v" + config.vocabSize();
    }

    @Override
    public void close() {
        weights.close();
    }
}
