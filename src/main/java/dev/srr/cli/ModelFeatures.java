package dev.srr.cli;

import dev.srr.SrrException;
import dev.srr.engine.LoadedModel;
import dev.srr.engine.Pooling;
import dev.srr.features.FeatureCache;
import dev.srr.features.FeatureExtractor;
import dev.srr.features.FeatureSpec;
import dev.srr.features.FeatureWriter;
import dev.srr.data.SafetyList;
import dev.srr.tokenizer.ModelTokenizer;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Features that eval and rank extract themselves, following a ranker's feature spec, into a feature cache in a
 * temporary folder (deleted on close), so that everything downstream reads the same format as srr features writes.
 */
final class ModelFeatures implements AutoCloseable {
    /** The data hash of a temporary cache: it is never resumed, and --data may name several files. */
    private static final String TEMPORARY = "temporary";
    private final LoadedModel model;
    private final ModelTokenizer tokenizer;
    private final Path dir;
    private final PrintWriter err;
    private final boolean quiet;

    private ModelFeatures(LoadedModel model, ModelTokenizer tokenizer, Path dir, PrintWriter err, boolean quiet) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.dir = dir;
        this.err = err;
        this.quiet = quiet;
    }

    /**
     * Opens the model and checks it can produce the ranker's features: same hidden size, layer within its depth.
     * A different model name with the same shape is allowed with a warning (e.g. a re-saved checkpoint).
     */
    static ModelFeatures open(Path modelDir, String backend, FeatureSpec spec, Path rankerDir, PrintWriter err, boolean quiet) {
        LoadedModel m = LoadedModel.open(modelDir, backend);
        try {
            int hidden = m.config().hiddenSize();
            if (hidden != spec.hiddenSize()) {
                throw new SrrException(modelDir + ": the model's hidden size is " + hidden + ", but ranker " + rankerDir
                        + " was trained on features of size " + spec.hiddenSize() + " (from model " + spec.model()
                        + "); use the model the ranker was trained for, or train a ranker on this model's features");
            }
            if (spec.layer() > m.config().numLayers()) {
                throw new SrrException(modelDir + ": ranker " + rankerDir + " reads layer " + spec.layer() + ", but the model has "
                        + m.config().numLayers() + " layers");
            }
            if (!quiet && spec.model() != null && !spec.model().equals(m.checkpoint().identity())) {
                err.println("warning: ranker " + rankerDir + " was trained on features of " + spec.model() + ", this model is "
                        + m.checkpoint().identity());
            }
            Path dir = Files.createTempDirectory("srr-features");
            return new ModelFeatures(m, ModelTokenizer.load(modelDir), dir, err, quiet);
        } catch (IOException e) {
            m.close();
            throw new SrrException("cannot create a temporary folder: " + e.getMessage());
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    int numLayers() {
        return model.config().numLayers();
    }

    /** Extracts the lists' features at {@code layers} into a new cache and opens it. */
    FeatureCache extract(List<SafetyList> lists, Path dataFile, int[] layers, Pooling pooling, dev.srr.features.EncodeMode encode,
                         String name) {
        List<SafetyList> withCandidates = lists.stream().filter(l -> !l.candidates().isEmpty()).toList();
        if (withCandidates.isEmpty()) throw new SrrException(dataFile + ": no list has candidates");
        FeatureCache.Header header = new FeatureCache.Header(model.checkpoint().identity(), model.config().hiddenSize(),
                model.config().numLayers(), layers, List.of(pooling), encode, TEMPORARY,
                withCandidates.stream().map(SafetyList::id).toList(),
                withCandidates.stream().mapToInt(l -> l.candidates().size()).toArray());
        FeatureExtractor extractor = new FeatureExtractor(model.transformer(), tokenizer, layers, new Pooling[]{pooling}, encode);
        Path out = dir.resolve(name + ".safetensors");
        Progress progress = new Progress(err, quiet, "features " + name);
        new FeatureWriter(extractor, 16).write(withCandidates, header, out, done -> progress.update(done, withCandidates.size(), "lists"));
        progress.done();
        return FeatureCache.open(out);
    }

    @Override
    public void close() {
        model.close();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temporary folder is harmless
        }
    }
}
