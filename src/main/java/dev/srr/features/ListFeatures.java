package dev.srr.features;

import dev.srr.engine.Capture;
import dev.srr.engine.Pooling;
import dev.srr.rank.FeatureList;

import java.util.Arrays;
import java.util.Map;

/**
 * The features of one list as extracted: per layer the instruction's vector ([hidden], the prompt's last token), and
 * per {@link Capture} the candidates' vectors ([size x hidden], row-major, in list order).
 *
 * @param size the number of candidates
 */
public record ListFeatures(String id, int size, Map<Integer, float[]> instruction, Map<Capture, float[]> candidates) {

    /** The list as the ranker reads it at one layer and pooling: the instruction's vector, one vector per candidate. */
    public FeatureList at(int layer, Pooling pooling, Boolean[] labels) {
        float[] x = instruction.get(layer);
        float[] flat = candidates.get(new Capture(layer, pooling));
        int d = x.length;
        float[][] rows = new float[size][];
        for (int c = 0; c < size; c++) rows[c] = Arrays.copyOfRange(flat, c * d, (c + 1) * d);
        return new FeatureList(id, x, rows, labels);
    }
}
