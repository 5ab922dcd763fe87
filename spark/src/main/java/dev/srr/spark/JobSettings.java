package dev.srr.spark;

import java.io.Serializable;
import java.util.Objects;

/**
 * What every task of a job needs to find its model and ranker, shipped to executors inside the task closure. A plain
 * serializable class, not a record: Spark's Kryo serializer cannot serialize Java records, and nothing a job ships
 * depends on which serializer the cluster configured.
 *
 * @see ExecutorResources for how an executor resolves the paths
 */
public final class JobSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String model;
    private final String ranker;
    private final String backend;
    private final int batch;

    /**
     * @param model   model folder or .gguf file, a path every executor can read (or a file shipped with --files)
     * @param ranker  ranker folder (srr train), likewise; null for jobs that need none (features)
     * @param backend compute backend name as for the srr CLI ({@code cpu})
     * @param batch   lists handed to the model and the ranker together, at least 1
     * @throws IllegalArgumentException when the model is missing or the batch is below 1
     */
    public JobSettings(String model, String ranker, String backend, int batch) {
        this.model = Objects.requireNonNull(model, "model");
        this.ranker = ranker;
        this.backend = Objects.requireNonNull(backend, "backend");
        if (batch < 1) throw new IllegalArgumentException("--batch must be at least 1, got " + batch);
        this.batch = batch;
    }

    public String model() {
        return model;
    }

    /** The ranker folder, or null. */
    public String ranker() {
        return ranker;
    }

    public String backend() {
        return backend;
    }

    public int batch() {
        return batch;
    }
}
