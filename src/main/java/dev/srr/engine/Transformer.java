package dev.srr.engine;

import dev.srr.SrrException;
import dev.srr.compute.Backend;
import dev.srr.compute.KvCache;
import dev.srr.compute.Step;
import dev.srr.compute.StepOutput;
import dev.srr.compute.StepRequest;
import dev.srr.model.ModelConfig;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The forward pass of every supported family, driving a {@link Backend} layer by layer. It reads back from
 * the backend only the rows and layers a caller captures, and stops after the highest layer it needs.
 */
public final class Transformer implements AutoCloseable {
    private final ModelConfig config;
    private final Backend backend;

    public Transformer(ModelConfig config, Backend backend) {
        this.config = config;
        this.backend = backend;
    }

    public ModelConfig config() {
        return config;
    }

    public Backend backend() {
        return backend;
    }

    public KvCache cache() {
        return backend.cache();
    }

    /**
     * Runs one step. {@code indices} are hidden_states indices to capture for {@code rows}; {@code rawLast}
     * also keeps the last layer's raw output for those rows; logits are computed for {@code logitRows}.
     */
    public StepOutput step(Step step, int[] indices, int[] rows, boolean rawLast, int[] logitRows) {
        for (int i : indices) {
            if (i < 0 || i > config.numLayers()) throw new SrrException("layer " + i + " is outside 0.." + config.numLayers());
        }
        return backend.run(new StepRequest(step, indices, rows, rawLast, logitRows));
    }

    /**
     * Batched prefill of several sequences in one step, each into a fresh KV-cache sequence that is released
     * afterwards. {@code meanSpans[s]} = {from, to} limits MEAN pooling of sequence s (null: whole sequence).
     */
    public List<SequenceOutput> forward(List<int[]> sequences, CaptureRequest request, int[][] meanSpans) {
        int[] seqIds = new int[sequences.size()];
        for (int s = 0; s < seqIds.length; s++) seqIds[s] = cache().newSequence();
        try {
            return forwardInto(sequences, seqIds, request, meanSpans);
        } finally {
            for (int id : seqIds) cache().release(id);
        }
    }

    /** As {@link #forward} but into existing cache sequences, appending after what they already hold. */
    public List<SequenceOutput> forwardInto(List<int[]> sequences, int[] seqIds, CaptureRequest request, int[][] meanSpans) {
        int n = sequences.size();
        int total = 0;
        for (int[] s : sequences) {
            if (s.length == 0) throw new SrrException("cannot run an empty token sequence");
            total += s.length;
        }
        int[] tokens = new int[total];
        int[] owners = new int[total];
        int[] positions = new int[total];
        int[] starts = new int[n];
        int[] lastRows = new int[n];
        int r = 0;
        for (int s = 0; s < n; s++) {
            int[] ids = sequences.get(s);
            int base = cache().length(seqIds[s]);
            if (base + ids.length > config.maxPositions()) {
                throw new SrrException("sequence of " + (base + ids.length) + " tokens exceeds the model's context of "
                        + config.maxPositions());
            }
            starts[s] = r;
            for (int i = 0; i < ids.length; i++, r++) {
                tokens[r] = ids[i];
                owners[r] = seqIds[s];
                positions[r] = base + i;
            }
            lastRows[s] = r - 1;
        }
        boolean allRows = request.wants(Pooling.ALL) || request.wants(Pooling.MEAN);
        int[] rows = allRows ? java.util.stream.IntStream.range(0, total).toArray() : lastRows;
        int[] logitRows = switch (request.logits()) {
            case NONE -> new int[0];
            case LAST -> lastRows;
            case ALL -> java.util.stream.IntStream.range(0, total).toArray();
        };
        StepOutput out = step(new Step(tokens, owners, positions), request.layers(), rows, request.rawLastLayer(), logitRows);

        int d = config.hiddenSize();
        int vocab = config.vocabSize();
        List<SequenceOutput> results = new ArrayList<>(n);
        for (int s = 0; s < n; s++) {
            int len = sequences.get(s).length;
            int rowBase = allRows ? starts[s] : s; // index into the captured rows
            Map<Pooling, TreeMap<Integer, float[]>> hidden = new EnumMap<>(Pooling.class);
            for (Pooling p : request.poolings()) {
                TreeMap<Integer, float[]> byLayer = new TreeMap<>();
                for (var e : out.hidden().entrySet()) byLayer.put(e.getKey(), pool(e.getValue(), p, rowBase, len, allRows, d, meanSpans == null ? null : meanSpans[s]));
                hidden.put(p, byLayer);
            }
            float[] raw = out.rawLastLayer() == null ? null
                    : pool(out.rawLastLayer(), request.poolings()[0], rowBase, len, allRows, d, meanSpans == null ? null : meanSpans[s]);
            float[] logits = null;
            if (out.logits() != null) {
                if (request.logits() == CaptureRequest.Logits.LAST) {
                    logits = java.util.Arrays.copyOfRange(out.logits(), s * vocab, (s + 1) * vocab);
                } else {
                    logits = java.util.Arrays.copyOfRange(out.logits(), starts[s] * vocab, (starts[s] + len) * vocab);
                }
            }
            results.add(new SequenceOutput(len, hidden, raw, logits));
        }
        return results;
    }

    private static float[] pool(float[] rows, Pooling p, int base, int len, boolean allRows, int d, int[] span) {
        if (!allRows) {
            // only the last rows were read: row index = sequence index
            return java.util.Arrays.copyOfRange(rows, base * d, (base + 1) * d);
        }
        return switch (p) {
            case ALL -> java.util.Arrays.copyOfRange(rows, base * d, (base + len) * d);
            case LAST -> java.util.Arrays.copyOfRange(rows, (base + len - 1) * d, (base + len) * d);
            case MEAN -> {
                int from = span == null ? 0 : span[0];
                int to = span == null ? len : span[1];
                if (from < 0 || to > len || from >= to) throw new SrrException("mean span [" + from + ", " + to + ") is outside a sequence of " + len + " tokens");
                float[] mean = new float[d];
                for (int t = from; t < to; t++) for (int j = 0; j < d; j++) mean[j] += rows[(base + t) * d + j];
                for (int j = 0; j < d; j++) mean[j] /= (to - from);
                yield mean;
            }
        };
    }

    @Override
    public void close() {
        backend.close();
    }
}
