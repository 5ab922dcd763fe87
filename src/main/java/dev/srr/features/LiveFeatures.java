package dev.srr.features;

import dev.srr.SrrException;
import dev.srr.data.Labeler;
import dev.srr.data.SafetyList;
import dev.srr.engine.LoadedModel;
import dev.srr.engine.Pooling;
import dev.srr.rank.FeatureList;
import dev.srr.tokenizer.ModelTokenizer;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Features a model extracts as they are asked for, at the layers, poolings and encode mode given at the start (one
 * forward per text captures them all). Each list is extracted once and its vectors kept in memory, so joining the
 * same lists at another of the layers runs no model. The model stays its opener's to close.
 */
public final class LiveFeatures implements FeatureSource {

    /** Extraction progress of one join: lists done of the lists it extracts (those not extracted before). */
    @FunctionalInterface
    public interface Listener {
        Listener NONE = (dataFile, done, total) -> {
        };

        void onList(Path dataFile, int done, int total);
    }

    private final LoadedModel model;
    private final FeatureExtractor extractor;
    private final int[] layers;
    private final List<Pooling> poolings;
    private final EncodeMode encode;
    private final Listener listener;
    private final Map<SafetyList, ListFeatures> extracted = new IdentityHashMap<>();

    /** Features of {@code model} at {@code layers} ({@code hidden_states} indices) with each of {@code poolings}. */
    public LiveFeatures(LoadedModel model, ModelTokenizer tokenizer, int[] layers, List<Pooling> poolings, EncodeMode encode,
                        Listener listener) {
        this.model = model;
        this.layers = Arrays.stream(layers).distinct().sorted().toArray();
        this.poolings = List.copyOf(poolings);
        this.encode = encode;
        this.listener = listener;
        this.extractor = new FeatureExtractor(model.forward(), tokenizer, this.layers, poolings.toArray(Pooling[]::new), encode);
    }

    @Override
    public Path path() {
        return model.checkpoint().source();
    }

    @Override
    public String model() {
        return model.checkpoint().identity();
    }

    @Override
    public int hiddenSize() {
        return model.config().hiddenSize();
    }

    @Override
    public int numLayers() {
        return model.config().numLayers();
    }

    @Override
    public int[] layers() {
        return layers.clone();
    }

    @Override
    public List<Pooling> poolings() {
        return poolings;
    }

    @Override
    public EncodeMode encode() {
        return encode;
    }

    /** {@inheritDoc} Every list with candidates has features here: none is missing. */
    @Override
    public FeatureSet join(List<SafetyList> data, Path dataFile, int layer, Pooling pooling, Labeler labeler) {
        if (!hasLayer(layer) || !poolings.contains(pooling)) {
            throw new IllegalArgumentException("layer " + layer + ", " + pooling.label() + " pooling was not asked of this source");
        }
        List<SafetyList> lists = data.stream().filter(l -> !l.candidates().isEmpty()).toList();
        if (lists.isEmpty()) throw new SrrException(dataFile + ": no list has candidates");
        List<SafetyList> toExtract = lists.stream().filter(l -> !extracted.containsKey(l)).toList();
        for (int i = 0; i < toExtract.size(); i++) {
            extracted.put(toExtract.get(i), extractor.extract(toExtract.get(i)));
            listener.onList(dataFile, i + 1, toExtract.size());
        }
        List<FeatureList> features = lists.stream().map(l -> extracted.get(l).at(layer, pooling, labeler.labels(l))).toList();
        return new FeatureSet(lists, features, 0);
    }

    @Override
    public void require(FeatureSpec spec, Path rankerDir) {
        spec.requireModel(model, rankerDir);
    }

    /** Drops the kept vectors; the model stays open. */
    @Override
    public void close() {
        extracted.clear();
    }
}
