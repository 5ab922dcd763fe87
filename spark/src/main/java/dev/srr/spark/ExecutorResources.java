package dev.srr.spark;

import dev.srr.SrrException;
import dev.srr.engine.LoadedModel;
import dev.srr.rank.RankerCheckpoint;
import dev.srr.tokenizer.ModelTokenizer;
import org.apache.spark.SparkFiles;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The models and rankers of one JVM (an executor, or the driver in local mode), each loaded once on first use and kept
 * for the JVM's life: the weights are memory-mapped, so every task of the executor shares one copy. Keyed by path (and
 * backend), so two jobs on different models in one JVM do not mix them up.
 *
 * <p>A model's forward keeps per-sequence state, so tasks of one executor take turns on it ({@link Model#lock}); the
 * backend already spreads one forward over every core of the executor.
 */
public final class ExecutorResources {
    private static final ConcurrentHashMap<String, Model> MODELS = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<String, RankerCheckpoint> RANKERS = new ConcurrentHashMap<>();

    private ExecutorResources() {
    }

    /** An opened model with its tokenizer, and the time it took to load (the executor's start cost). */
    public static final class Model {
        public final LoadedModel model;
        public final ModelTokenizer tokenizer;
        /** Wall time of loading the weights and tokenizer, nanoseconds; 0 for every later user in the JVM. */
        public final long loadNanos;
        /** Held by a task while it runs the forward. */
        public final Object lock = new Object();

        Model(LoadedModel model, ModelTokenizer tokenizer, long loadNanos) {
            this.model = model;
            this.tokenizer = tokenizer;
            this.loadNanos = loadNanos;
        }
    }

    /**
     * The model at {@code path} on {@code backend}, loaded on the first call in this JVM.
     *
     * @param loaded called with the load time when this call loaded it (never when it was already there)
     * @throws SrrException when the path names no readable model here
     */
    public static Model model(String path, String backend, java.util.function.LongConsumer loaded) {
        boolean[] mine = {false};
        Model m = MODELS.computeIfAbsent(path + "\u0000" + backend, k -> {
            long start = System.nanoTime();
            Path local = local(path, "model");
            LoadedModel lm = LoadedModel.open(local, backend);
            try {
                Model model = new Model(lm, ModelTokenizer.load(local), System.nanoTime() - start);
                mine[0] = true;
                return model;
            } catch (RuntimeException e) {
                lm.close();
                throw e;
            }
        });
        if (mine[0]) loaded.accept(m.loadNanos);
        return m;
    }

    /** The ranker folder at {@code path}, read on the first call in this JVM. */
    public static RankerCheckpoint ranker(String path) {
        return RANKERS.computeIfAbsent(path, p -> RankerCheckpoint.load(local(p, "ranker")));
    }

    /**
     * A path as this JVM can read it: the path itself when it exists here, else a file of that name shipped with
     * {@code spark-submit --files/--archives} ({@link SparkFiles}).
     *
     * @throws SrrException naming the path and what it should have been
     */
    public static Path local(String path, String what) {
        Path p = Path.of(path);
        if (Files.exists(p)) return p;
        try {
            Path shipped = Path.of(SparkFiles.get(p.getFileName().toString()));
            if (Files.exists(shipped)) return shipped;
        } catch (RuntimeException e) {
            // no SparkContext here (a plain JVM): only the path itself counts
        }
        throw new SrrException(path + ": " + what + " not found on this machine (give a path every executor can read, "
                + "or ship it with spark-submit --files/--archives)");
    }
}
