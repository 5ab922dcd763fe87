package dev.srr.model;

import dev.srr.SrrException;

import java.nio.file.Files;
import java.nio.file.Path;

/** A Hugging Face checkpoint folder: its config and its memory-mapped weights. */
public record Checkpoint(Path folder, ModelConfig config, Weights weights) implements AutoCloseable {

    public static Checkpoint open(Path folder) {
        if (!Files.isDirectory(folder)) throw new SrrException(folder + ": not a checkpoint folder");
        Path configFile = folder.resolve("config.json");
        if (!Files.exists(configFile)) throw new SrrException(folder + ": no config.json");
        ModelConfig config = ConfigReader.read(configFile);
        Weights weights = Weights.open(folder);
        try {
            ModelWeights.check(config, weights);
        } catch (RuntimeException e) {
            weights.close();
            throw e;
        }
        return new Checkpoint(folder, config, weights);
    }

    /** A short identity for caches and ranker metadata: folder name, family and shape. */
    public String identity() {
        return folder.toAbsolutePath().normalize().getFileName() + ":" + config.modelType() + ":L" + config.numLayers()
                + ":d" + config.hiddenSize() + ":v" + config.vocabSize();
    }

    @Override
    public void close() {
        weights.close();
    }
}
