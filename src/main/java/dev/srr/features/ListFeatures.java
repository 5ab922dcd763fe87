package dev.srr.features;

import java.util.Map;

/**
 * The feature vectors of one list, keyed by cache tensor name: {@code instruction.L<k>} ([hidden]) and
 * {@code candidates.L<k>.<pooling>} ([candidates x hidden], row-major).
 */
public record ListFeatures(String id, int candidates, Map<String, float[]> vectors) {

    public static String instructionKey(int layer) {
        return "instruction.L" + layer;
    }

    public static String candidatesKey(int layer, dev.srr.engine.Pooling pooling) {
        return "candidates.L" + layer + "." + pooling.label();
    }
}
