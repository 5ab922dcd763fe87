package dev.srr.features;

import dev.srr.data.SafetyList;
import dev.srr.engine.Capture;
import dev.srr.engine.Pooling;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Handcrafted feature caches for tests: every vector comes from a function, no model involved. */
public final class TestFeatureCaches {
    private TestFeatureCaches() {
    }

    /** The vector of list {@code list}'s candidate {@code candidate} (-1: the instruction) at a layer and pooling. */
    public interface Vectors {
        float[] at(SafetyList list, int candidate, int layer, Pooling pooling);
    }

    public static void write(Path file, List<SafetyList> lists, int dim, int numLayers, int[] layers, List<Pooling> poolings,
                             Vectors vectors) {
        FeatureCache.Header header = new FeatureCache.Header("test-model", dim, numLayers, layers, poolings, EncodeMode.CONTINUATION,
                "0".repeat(64), lists.stream().map(SafetyList::id).toList(), lists.stream().mapToInt(l -> l.candidates().size()).toArray());
        List<ListFeatures> out = new ArrayList<>();
        for (SafetyList l : lists) {
            Map<Integer, float[]> instruction = new LinkedHashMap<>();
            Map<Capture, float[]> candidates = new LinkedHashMap<>();
            int m = l.candidates().size();
            for (int layer : layers) {
                instruction.put(layer, vectors.at(l, -1, layer, Pooling.LAST));
                for (Pooling p : poolings) {
                    float[] flat = new float[m * dim];
                    for (int c = 0; c < m; c++) System.arraycopy(vectors.at(l, c, layer, p), 0, flat, c * dim, dim);
                    candidates.put(new Capture(layer, p), flat);
                }
            }
            out.add(new ListFeatures(l.id(), m, instruction, candidates));
        }
        FeatureCache.writePart(file, header, out);
    }

    /**
     * Vectors that carry the given safety label weakly along dimension 0 (+ for safe, - for unsafe, 0 otherwise) on
     * top of seeded noise, with the signal growing with the layer: something a ranker can learn, more so deeper.
     */
    public static Vectors noisySafetySignal(long seed, int dim) {
        return (list, c, layer, pooling) -> {
            java.util.Random rng = new java.util.Random(seed ^ (list.id().hashCode() * 31L + c) * 1_000_003L + layer * 7L + pooling.ordinal());
            float[] v = new float[dim];
            for (int j = 0; j < dim; j++) v[j] = (float) rng.nextGaussian();
            if (c >= 0) {
                Boolean safe = list.candidates().get(c).safe();
                if (safe != null) v[0] += (safe ? 1 : -1) * 0.8f * layer;
            }
            return v;
        };
    }
}
