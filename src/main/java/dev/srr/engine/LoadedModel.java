package dev.srr.engine;

import dev.srr.compute.Backends;
import dev.srr.model.Checkpoint;
import dev.srr.model.ModelConfig;

import java.nio.file.Path;

/** A checkpoint opened for inference on a chosen backend, with the driver of its forward. */
public record LoadedModel(Checkpoint checkpoint, ForwardDriver forward) implements AutoCloseable {

    public static LoadedModel open(Path folder, String backend) {
        Checkpoint ck = Checkpoint.open(folder);
        try {
            return new LoadedModel(ck, new ForwardDriver(ck.config(), Backends.create(backend, ck.config(), ck.weights())));
        } catch (RuntimeException e) {
            ck.close();
            throw e;
        }
    }

    public ModelConfig config() {
        return checkpoint.config();
    }

    @Override
    public void close() {
        forward.close();
        checkpoint.close();
    }
}
