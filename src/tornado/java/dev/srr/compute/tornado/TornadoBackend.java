package dev.srr.compute.tornado;

import dev.srr.SrrException;
import dev.srr.compute.Backend;
import dev.srr.compute.KvCache;
import dev.srr.compute.Step;
import dev.srr.compute.StepOutput;
import dev.srr.compute.StepRequest;
import dev.srr.model.ModelConfig;
import dev.srr.model.ModelWeights;
import dev.srr.model.Weights;
import uk.ac.manchester.tornado.api.DataRange;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.TornadoExecutionResult;
import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.exceptions.TornadoExecutionPlanException;
import uk.ac.manchester.tornado.api.exceptions.TornadoInternalError;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the transformer as a few TornadoVM task graphs ({@link StepGraph}): a step is one pass over the blocks,
 * embedding to logits (one block for models up to about 12 layers, 3 for a 28-layer model), with the captured rows
 * and the logits copied back at the end. A step that captures more rows than the staging buffer holds
 * ({@code -Dsrr.tornado.captureRows}) or wants more logit rows than {@code logitRows} runs in a few passes, each
 * going on from the stage where the last one stopped. Weights, activations and the KV cache stay on
 * the device; per execution one small int array goes up ({@link StepMeta}). Selected with {@code --backend tornado}
 * and run through {@code scripts/srr-tornado}; tunables are {@code -Dsrr.tornado.*} ({@link TornadoSettings}).
 */
public final class TornadoBackend implements Backend {
    /** TornadoVM's bytecode buffer per graph (4 KB by default) is too small for a whole step of a large model. */
    static final String BYTECODE_SIZE = "tornado.tvm.maxbytecodesize";

    private final ModelConfig config;
    private final TornadoSettings settings;
    private final TornadoDevice device;
    private final WeightFormat format;
    private final StepBuffers buffers;
    private final DeviceKvCache cache;
    private final Grids grids = new Grids();
    private final TornadoExecutionPlan plan;
    private final StepGraph.Built graphs;
    private final Map<String, Object> startup = new LinkedHashMap<>();

    /**
     * Converts the weights and builds the step graph, compiles it ({@code -Dsrr.tornado.precompile}, default
     * true) and runs it once on zero rows, which uploads every resident array: the first real step then costs
     * what any step costs, and {@link #startupReport} tells conversion, compilation and upload apart.
     */
    public TornadoBackend(ModelConfig config, Weights weights) {
        long t0 = System.nanoTime();
        this.config = config;
        this.settings = TornadoSettings.fromSystemProperties(config);
        if (System.getProperty(BYTECODE_SIZE) == null) System.setProperty(BYTECODE_SIZE, String.valueOf(1 << 20));
        this.device = TornadoDevices.select(settings.device());
        this.format = WeightFormat.parse(settings.weights(), TornadoDevices.isGpu(device));
        startup.put("runtime_init_ms", ms(t0));
        long converting = System.nanoTime();
        ModelWeights.check(config, weights);
        DeviceWeights dw = new DeviceWeights(weights, format);
        this.buffers = new StepBuffers(config, settings, dw.matrix(ModelWeights.EMBED));
        this.cache = new DeviceKvCache(settings.slots(), settings.context(), config.maxPositions());
        this.graphs = StepGraph.build(config, settings, dw, buffers, grids);
        this.plan = new TornadoExecutionPlan(graphs.graphs().toArray(new uk.ac.manchester.tornado.api.ImmutableTaskGraph[0]));
        plan.withDevice(device).withGridScheduler(grids.scheduler());
        startup.put("device", TornadoDevices.describe(device));
        startup.put("weights", format.toString());
        startup.put("resident_weight_bytes", dw.bytes());
        startup.put("graph_tasks", graphs.tasks());
        startup.put("graph_blocks", graphs.blocks());
        startup.put("convert_ms", ms(converting));
        try {
            if (Boolean.parseBoolean(System.getProperty(TornadoSettings.PREFIX + "precompile", "true"))) {
                long t1 = System.nanoTime();
                plan.withPreCompilation();
                startup.put("compile_ms", ms(t1));
            }
            long t2 = System.nanoTime();
            warmUp();
            startup.put("upload_ms", ms(t2));
        } catch (RuntimeException | TornadoInternalError e) {
            // TornadoVM reports its internal limits as an Error
            String message = String.valueOf(e.getMessage());
            if (message.contains("maxbytecodesize")) {
                throw new SrrException("a block of the step graph overflows TornadoVM's bytecode buffer ("
                        + System.getProperty(BYTECODE_SIZE) + " bytes): start the JVM with -D" + BYTECODE_SIZE + "=" + (4 << 20)
                        + " (scripts/srr-tornado passes a large enough value)");
            }
            if (message.contains("Graph resize")) {
                throw new SrrException("a block of " + settings.blockLayers() + " layers exceeds TornadoVM's graph size: lower -D"
                        + TornadoSettings.PREFIX + "blockLayers");
            }
            throw e;
        }
        System.err.printf("tornado: %s, %s weights (%.2f GB): runtime %.0f ms, converted %.0f ms, compiled %s ms, uploaded %.0f ms%n",
                startup.get("device"), format, dw.bytes() / 1e9, (Double) startup.get("runtime_init_ms"), (Double) startup.get("convert_ms"),
                startup.containsKey("compile_ms") ? String.format("%.0f", (Double) startup.get("compile_ms")) : "(on first use)",
                (Double) startup.get("upload_ms"));
    }

    private static double ms(long since) {
        return (System.nanoTime() - since) / 1e6;
    }

    /** The init graph, then every block on zero rows: kernels see nothing to do; the FIRST_EXECUTION arrays go up. */
    private void warmUp() {
        buffers.meta.array().set(StepMeta.ROWS, 0);
        buffers.meta.clearStages();
        for (Grids.Family f : Grids.Family.values()) grids.resize(f, 1);
        plan.withGraph(0).execute();
        runStages(0, config.numLayers() + 2);
    }

    /** Executes, in order, the blocks holding stages {@code from..to-1}; returns the last block's result. */
    private TornadoExecutionResult runStages(int from, int to) {
        int[] first = graphs.blockFirstStage();
        TornadoExecutionResult last = null;
        for (int b = 0; b < first.length; b++) {
            int end = b + 1 < first.length ? first[b + 1] : Integer.MAX_VALUE;
            if (first[b] < Math.max(to, from + 1) && end > from) last = plan.withGraph(graphs.graph(b)).execute();
        }
        return last;
    }

    @Override
    public Map<String, Object> startupReport() {
        return startup;
    }

    @Override
    public String name() {
        return "tornado";
    }

    /** The device and weight format in use, for logs and benchmarks. */
    public String description() {
        return TornadoDevices.describe(device) + ", " + format + " weights";
    }

    public WeightFormat weightFormat() {
        return format;
    }

    @Override
    public KvCache cache() {
        return cache;
    }

    /**
     * Plans the step as executions of the graph: stages run in order (0 embedding, 1 + l layer l, L + 1 final
     * norm); capture point p (X after stage p, NORMED after the final norm) gets a staging slot in the execution
     * that runs stage p. One execution when everything fits, which is every decode step.
     */
    @Override
    public StepOutput run(StepRequest request) {
        Step step = request.step();
        int layers = config.numLayers();
        int d = config.hiddenSize();
        prepare(step);
        int[] rows = request.rows();
        for (int r : rows) checkRow(r, step);
        for (int r : request.logitRows()) checkRow(r, step);
        int depth = request.depth(layers);
        boolean finalNorm = request.needsFinalNorm(layers);
        int stages = finalNorm ? layers + 2 : depth + 1;
        List<Integer> points = new ArrayList<>();
        for (int p = 0; p <= depth; p++) if (p < layers ? request.captures(p) : request.rawLast()) points.add(p);
        if (finalNorm && request.captures(layers)) points.add(layers + 1);
        Map<Integer, float[]> hidden = new HashMap<>();
        float[] raw = null;
        if (rows.length == 0) { // nothing to stage: the requested captures are empty, as the CPU backend gives them
            for (int p : points) {
                if (p == layers) raw = new float[0];
                else hidden.put(Math.min(p, layers), new float[0]);
            }
            points.clear();
        }
        int n = rows.length;
        int perExecution = n == 0 ? 1 : settings.captureRows() / n;
        int[] logitRows = request.logitRows();
        float[] logits = logitRows.length > 0 ? new float[logitRows.length * config.vocabSize()] : null;
        int stage = 0;
        int next = 0;
        int logitsDone = 0;
        do {
            int take = Math.min(perExecution, points.size() - next);
            boolean last = next + take == points.size();
            int to = last ? stages : points.get(next + take - 1) + 1;
            buffers.meta.clearStages();
            buffers.meta.runStages(stage, to);
            for (int k = 0; k < take; k++) buffers.meta.captureAt(points.get(next + k), k);
            if (take > 0) buffers.meta.capturedRows(rows);
            int m = last ? Math.min(logitRows.length, settings.logitRows()) : 0;
            buffers.meta.logitRows(logitRows, 0, m);
            TornadoExecutionResult result = execute(stage, to, step.rows(), n, m);
            if (take > 0) {
                result.transferToHost(new DataRange(buffers.captures).withSize((long) take * n * d));
                for (int k = 0; k < take; k++) {
                    float[] part = new float[n * d];
                    MemorySegment.copy(buffers.captures.getSegment(), ValueLayout.JAVA_FLOAT, (long) k * n * d * Float.BYTES, part, 0, n * d);
                    int p = points.get(next + k);
                    if (p < layers) hidden.put(p, part);
                    else if (p == layers) raw = part;
                    else hidden.put(layers, part);
                }
            }
            if (m > 0) copyLogits(result, logits, 0, m);
            logitsDone = m;
            stage = to;
            next += take;
        } while (next < points.size());
        while (logitsDone < logitRows.length) {
            int m = Math.min(settings.logitRows(), logitRows.length - logitsDone);
            buffers.meta.clearStages();
            buffers.meta.logitRows(logitRows, logitsDone, m);
            copyLogits(execute(layers + 1, layers + 2, step.rows(), 1, m), logits, logitsDone, m);
            logitsDone += m;
        }
        return new StepOutput(hidden, raw, logits);
    }

    private void prepare(Step step) {
        int rows = step.rows();
        if (rows > settings.maxRows()) {
            throw new SrrException("a step of " + rows + " rows exceeds the TornadoVM backend's " + settings.maxRows()
                    + " (raise -D" + TornadoSettings.PREFIX + "maxRows)");
        }
        for (int r = 0; r < rows; r++) {
            int t = step.tokens()[r];
            if (t < 0 || t >= config.vocabSize()) {
                throw new SrrException("token id " + t + " is outside the vocabulary of " + config.vocabSize());
            }
            cache.reserve(step.sequences()[r], step.positions()[r]);
        }
        buffers.meta.fill(step, cache);
    }

    private static void checkRow(int r, Step step) {
        if (r < 0 || r >= step.rows()) throw new IllegalArgumentException("row " + r + " is not in the step of " + step.rows() + " rows");
    }

    /** One pass over the blocks of stages {@code from..to-1} (at least the block of stage {@code from}). */
    private TornadoExecutionResult execute(int from, int to, int stepRows, int capturedRows, int logitRows) {
        grids.resize(Grids.Family.STEP, Math.max(1, stepRows));
        grids.resize(Grids.Family.CAPTURE, Math.max(1, capturedRows));
        grids.resize(Grids.Family.LOGITS, Math.max(1, logitRows));
        return runStages(from, to);
    }

    private void copyLogits(TornadoExecutionResult result, float[] logits, int from, int m) {
        int vocab = config.vocabSize();
        result.transferToHost(new DataRange(buffers.logits).withSize((long) m * vocab));
        MemorySegment.copy(buffers.logits.getSegment(), ValueLayout.JAVA_FLOAT, 0, logits, from * vocab, m * vocab);
    }

    @Override
    public void close() {
        try {
            plan.close();
        } catch (TornadoExecutionPlanException e) {
            throw new SrrException("TornadoVM could not release the device: " + e.getMessage());
        }
    }
}
