package dev.srr.features;

import dev.srr.data.Labeler;
import dev.srr.data.SafetyList;
import dev.srr.engine.Pooling;

import java.nio.file.Path;
import java.util.List;

/**
 * Where SRR features come from: a cache written by {@code srr features} ({@link FeatureCache}) or a model extracting
 * them as they are asked for ({@link LiveFeatures}). Either joins a data file's lists with their features at one layer
 * and pooling, which is what training, ranking and evaluation read.
 */
public interface FeatureSource extends AutoCloseable {

    /** The cache file or the model, for messages. */
    Path path();

    /** The model the features come from ({@code Checkpoint.identity()}). */
    String model();

    int hiddenSize();

    /** The model's decoder layers: {@code hidden_states} indices run from 0 to this. */
    int numLayers();

    /** The {@code hidden_states} indices this source gives. */
    int[] layers();

    List<Pooling> poolings();

    EncodeMode encode();

    default boolean hasLayer(int layer) {
        for (int l : layers()) if (l == layer) return true;
        return false;
    }

    /**
     * The lists of {@code dataFile} that have candidates, joined with their features at {@code layer} and
     * {@code pooling}, labelled by {@code labeler}; lists this source has no features for are counted as missing.
     *
     * @throws dev.srr.SrrException when the source does not hold the layer or pooling, or none of the lists
     */
    FeatureSet join(List<SafetyList> lists, Path dataFile, int layer, Pooling pooling, Labeler labeler);

    /** Checks that this source gives the features a ranker reads ({@link FeatureSpec#requireCache}, {@link FeatureSpec#requireModel}). */
    void require(FeatureSpec spec, Path rankerDir);

    /** The features at {@code layer} and {@code pooling} as a ranker checkpoint records them. */
    default FeatureSpec spec(int layer, Pooling pooling) {
        return new FeatureSpec(model(), hiddenSize(), layer, pooling, encode());
    }

    @Override
    void close();
}
