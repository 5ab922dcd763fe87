package dev.srr.cli;

import dev.srr.engine.LoadedModel;
import dev.srr.features.FeatureCache;
import dev.srr.features.FeatureSource;
import dev.srr.features.FeatureSpec;
import dev.srr.features.LiveFeatures;
import dev.srr.tokenizer.ModelTokenizer;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The features eval and rank read for a ranker: a {@code --features} cache, or MODEL opened on a backend and
 * extracting as asked (progress on stderr). Either is checked against the ranker's feature spec when opened;
 * closing closes the model too.
 */
final class FeatureInput implements AutoCloseable {
    final FeatureSource source;
    private final LoadedModel model;

    private FeatureInput(FeatureSource source, LoadedModel model) {
        this.source = source;
        this.model = model;
    }

    /**
     * @param model      MODEL, or null for {@code cache}
     * @param finalLayer whether MODEL should also give the last layer (for the final-layer baseline)
     */
    static FeatureInput open(Path model, Path cache, String backend, FeatureSpec spec, Path rankerDir, boolean finalLayer,
                             PrintWriter err, boolean quiet) {
        if (model == null) {
            FeatureCache c = FeatureCache.open(cache);
            try {
                spec.requireCache(c, rankerDir);
            } catch (RuntimeException e) {
                c.close();
                throw e;
            }
            return new FeatureInput(c, null);
        }
        LoadedModel m = LoadedModel.open(model, backend);
        try {
            spec.requireModel(m, rankerDir);
            int last = m.config().numLayers();
            int[] layers = finalLayer && spec.layer() != last ? new int[]{spec.layer(), last} : new int[]{spec.layer()};
            Map<Path, Progress> progress = new HashMap<>();
            LiveFeatures live = new LiveFeatures(m, ModelTokenizer.load(model), layers, List.of(spec.pooling()), spec.encode(),
                    (dataFile, done, total) -> {
                        Progress p = progress.computeIfAbsent(dataFile, f -> new Progress(err, quiet, "features " + f.getFileName()));
                        p.update(done, total, "lists");
                        if (done == total) p.done();
                    });
            return new FeatureInput(live, m);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    @Override
    public void close() {
        source.close();
        if (model != null) model.close();
    }
}
