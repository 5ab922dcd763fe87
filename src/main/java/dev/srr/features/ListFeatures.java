package dev.srr.features;

import dev.srr.engine.Pooling;
import dev.srr.rank.FeatureList;

import java.util.Arrays;
import java.util.Map;

/**
 * The feature vectors of one list, keyed by cache tensor name: {@code instruction.L<k>} ([hidden]) and
 * {@code candidates.L<k>.<pooling>} ([candidates x hidden], row-major).
 */
public record ListFeatures(String id, int candidates, Map<String, float[]> vectors) {

    /** The list as the ranker reads it at one layer and pooling: the instruction's vector, one vector per candidate. */
    public FeatureList at(int layer, Pooling pooling, Boolean[] labels) {
        float[] instruction = vectors.get(instructionKey(layer));
        float[] flat = vectors.get(candidatesKey(layer, pooling));
        int d = instruction.length;
        float[][] rows = new float[candidates][];
        for (int c = 0; c < candidates; c++) rows[c] = Arrays.copyOfRange(flat, c * d, (c + 1) * d);
        return new FeatureList(id, instruction, rows, labels);
    }

    public static String instructionKey(int layer) {
        return "instruction.L" + layer;
    }

    public static String candidatesKey(int layer, Pooling pooling) {
        return "candidates.L" + layer + "." + pooling.label();
    }
}
