package dev.srr.engine;

import dev.srr.SrrException;
import dev.srr.compute.Backend;
import dev.srr.compute.KvCache;
import dev.srr.compute.KvSequence;
import dev.srr.compute.KvSequences;
import dev.srr.compute.Step;
import dev.srr.compute.StepOutput;
import dev.srr.compute.StepRequest;
import dev.srr.model.ModelConfig;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Drives the forward pass of every supported family through a {@link Backend}, one step at a time: it turns token
 * sequences into steps (rows of tokens, KV-cache sequences and positions), and the rows the backend reads back into
 * each sequence's captured hidden states and logits. The backend reads back only the rows and layers a caller
 * captures, and stops after the highest layer it needs.
 */
public final class ForwardDriver implements AutoCloseable {
    private final ModelConfig config;
    private final Backend backend;

    public ForwardDriver(ModelConfig config, Backend backend) {
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
     * Runs one step as asked.
     *
     * @throws SrrException when a captured {@code hidden_states} index is outside 0..numLayers
     */
    public StepOutput step(StepRequest request) {
        for (int i : request.indices()) {
            if (i < 0 || i > config.numLayers()) throw new SrrException("layer " + i + " is outside 0.." + config.numLayers());
        }
        return backend.run(request);
    }

    /** Prefills several sequences in one step, each into a fresh KV-cache sequence released afterwards. */
    public List<SequenceOutput> run(List<int[]> sequences, CaptureRequest request) {
        try (KvSequences fresh = KvSequences.open(cache(), sequences.size())) {
            return append(sequences, fresh, request);
        }
    }

    /**
     * Runs {@code sequences[s]} after what KV-cache sequence {@code into[s]} already holds, all in one step.
     *
     * @throws SrrException for an empty sequence, or one that would exceed the model's context
     */
    public List<SequenceOutput> append(List<int[]> sequences, List<KvSequence> into, CaptureRequest request) {
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
            int base = into.get(s).length();
            if (base + ids.length > config.maxPositions()) {
                throw new SrrException("sequence of " + (base + ids.length) + " tokens exceeds the model's context of "
                        + config.maxPositions());
            }
            starts[s] = r;
            for (int i = 0; i < ids.length; i++, r++) {
                tokens[r] = ids[i];
                owners[r] = into.get(s).id();
                positions[r] = base + i;
            }
            lastRows[s] = r - 1;
        }
        boolean allRows = request.wants(Pooling.ALL) || request.wants(Pooling.MEAN);
        int[] rows = allRows ? IntStream.range(0, total).toArray() : lastRows;
        int[] logitRows = switch (request.logits()) {
            case NONE -> new int[0];
            case LAST -> lastRows;
            case ALL -> IntStream.range(0, total).toArray();
        };
        StepOutput out = step(new StepRequest(new Step(tokens, owners, positions), request.layers(), rows, request.rawLastLayer(), logitRows,
                false));

        int d = config.hiddenSize();
        int vocab = config.vocabSize();
        List<SequenceOutput> results = new java.util.ArrayList<>(n);
        for (int s = 0; s < n; s++) {
            int len = sequences.get(s).length;
            int rowBase = allRows ? starts[s] : s; // index into the captured rows
            Map<Capture, float[]> hidden = new HashMap<>();
            for (Pooling p : request.poolings()) {
                for (var e : out.hidden().entrySet()) hidden.put(new Capture(e.getKey(), p), pool(e.getValue(), p, rowBase, len, allRows, d));
            }
            float[] raw = out.rawLastLayer() == null ? null : pool(out.rawLastLayer(), request.poolings()[0], rowBase, len, allRows, d);
            float[] logits = null;
            if (out.logits() != null) {
                logits = request.logits() == CaptureRequest.Logits.LAST ? Arrays.copyOfRange(out.logits(), s * vocab, (s + 1) * vocab)
                        : Arrays.copyOfRange(out.logits(), starts[s] * vocab, (starts[s] + len) * vocab);
            }
            results.add(new SequenceOutput(len, hidden, raw, logits));
        }
        return results;
    }

    /** One sequence's rows reduced by {@code p}; {@code base} is its first row among the captured ones. */
    private static float[] pool(float[] rows, Pooling p, int base, int len, boolean allRows, int d) {
        if (!allRows) {
            // only the last rows were read: row index = sequence index
            return Arrays.copyOfRange(rows, base * d, (base + 1) * d);
        }
        return switch (p) {
            case ALL -> Arrays.copyOfRange(rows, base * d, (base + len) * d);
            case LAST -> Arrays.copyOfRange(rows, (base + len - 1) * d, (base + len) * d);
            case MEAN -> {
                float[] mean = new float[d];
                for (int t = 0; t < len; t++) for (int j = 0; j < d; j++) mean[j] += rows[(base + t) * d + j];
                for (int j = 0; j < d; j++) mean[j] /= len;
                yield mean;
            }
        };
    }

    @Override
    public void close() {
        backend.close();
    }
}
