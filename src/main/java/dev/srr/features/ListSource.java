package dev.srr.features;

import dev.srr.data.Labeler;
import dev.srr.data.SafetyList;
import dev.srr.engine.Pooling;

import java.nio.file.Path;
import java.util.List;

/** The lists of a data file and the source of their features: one side (training or test) of an experiment. */
public record ListSource(List<SafetyList> lists, Path dataFile, FeatureSource features) {

    /** The lists joined with their features at {@code layer} and {@code pooling}, labelled by {@code labeler}. */
    public FeatureSet at(int layer, Pooling pooling, Labeler labeler) {
        return features.join(lists, dataFile, layer, pooling, labeler);
    }
}
