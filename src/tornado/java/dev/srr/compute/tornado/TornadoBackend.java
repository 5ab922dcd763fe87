package dev.srr.compute.tornado;

import dev.srr.SrrException;
import dev.srr.compute.Backend;
import dev.srr.compute.Buf;
import dev.srr.compute.KvCache;
import dev.srr.compute.Step;
import dev.srr.model.ModelConfig;
import dev.srr.model.ModelWeights;
import dev.srr.model.Weights;
import uk.ac.manchester.tornado.api.DataRange;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.TornadoExecutionResult;
import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.exceptions.TornadoExecutionPlanException;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs the transformer as TornadoVM task graphs in one execution plan (see {@link Graphs} for each graph):
 *
 * <pre>
 * once:      init
 * per step:  embed ─► layer_0 ─► ... ─► layer_{L-1} ─► final ─► logits      (capture_x / capture_normed between,
 *                                                                           only for rows the caller reads)
 * </pre>
 * A decode step is L + 3 graph executions of 8 tasks per layer; one small int array goes up, only the requested
 * rows come down. Activations, weights and the KV cache stay on the device. Selected with {@code --backend tornado}
 * and run through {@code scripts/srr-tornado}; tunables are {@code -Dsrr.tornado.*} ({@link TornadoSettings}).
 */
public final class TornadoBackend implements Backend {
    private final ModelConfig config;
    private final TornadoSettings settings;
    private final TornadoDevice device;
    private final WeightFormat format;
    private final SharedBuffers shared;
    private final DeviceKvCache cache;
    private final Grids grids = new Grids();
    private final TornadoExecutionPlan plan;
    private final int embedGraph;
    private final int firstLayerGraph;
    private final int finalGraph;
    private final int logitsGraph;
    private final int captureX;
    private final int captureNormed;
    private final IntArray logitPick;
    private final FloatArray logitsOut;
    private final IntArray capturePick;
    private final FloatArray captureOut;
    private final Map<String, Object> startup = new LinkedHashMap<>();
    private Step step;

    /**
     * Converts the weights and builds the graphs, compiles them all ({@code -Dsrr.tornado.precompile}, default
     * true) and runs each once on zero rows, which uploads every resident array: the first real step then costs
     * what any step costs, and {@link #startupReport} tells conversion, compilation and upload apart.
     */
    public TornadoBackend(ModelConfig config, Weights weights) {
        long t0 = System.nanoTime();
        this.config = config;
        this.settings = TornadoSettings.fromSystemProperties(config);
        this.device = TornadoDevices.select(settings.device());
        this.format = WeightFormat.parse(settings.weights(), TornadoDevices.isGpu(device));
        startup.put("runtime_init_ms", ms(t0));
        long converting = System.nanoTime();
        ModelWeights.check(config, weights);
        DeviceWeights dw = new DeviceWeights(weights, format);
        this.shared = new SharedBuffers(config, settings, dw.matrix(ModelWeights.EMBED));
        this.cache = new DeviceKvCache(settings.slots(), settings.context(), config.maxPositions());
        this.logitPick = new IntArray(1 + settings.logitRows());
        this.logitsOut = new FloatArray(settings.logitRows() * config.vocabSize());
        this.capturePick = new IntArray(1 + settings.maxRows());
        this.captureOut = new FloatArray(settings.maxRows() * config.hiddenSize());

        Graphs graphs = new Graphs(config, settings, dw, shared, grids);
        int init = graphs.init();
        this.embedGraph = graphs.embed();
        this.firstLayerGraph = graphs.layer(0);
        for (int l = 1; l < config.numLayers(); l++) graphs.layer(l);
        this.finalGraph = graphs.finalNorm();
        this.logitsGraph = graphs.logits(logitPick, logitsOut);
        int d = config.hiddenSize();
        this.captureX = graphs.capture("capture_x", shared.x, d, capturePick, captureOut);
        this.captureNormed = graphs.capture("capture_normed", shared.normed, d, capturePick, captureOut);

        this.plan = new TornadoExecutionPlan(graphs.built().toArray(new uk.ac.manchester.tornado.api.ImmutableTaskGraph[0]));
        plan.withDevice(device).withGridScheduler(grids.scheduler());
        startup.put("device", TornadoDevices.describe(device));
        startup.put("weights", format.toString());
        startup.put("resident_weight_bytes", dw.bytes());
        startup.put("convert_ms", ms(converting));
        if (Boolean.parseBoolean(System.getProperty(TornadoSettings.PREFIX + "precompile", "true"))) {
            long t1 = System.nanoTime();
            plan.withPreCompilation();
            startup.put("compile_ms", ms(t1));
        }
        long t2 = System.nanoTime();
        run(init);
        warmUp();
        startup.put("upload_ms", ms(t2));
        System.err.printf("tornado: %s, %s weights (%.2f GB): runtime %.0f ms, converted %.0f ms, compiled %s ms, uploaded %.0f ms%n",
                startup.get("device"), format, dw.bytes() / 1e9, (Double) startup.get("runtime_init_ms"), (Double) startup.get("convert_ms"),
                startup.containsKey("compile_ms") ? String.format("%.0f", (Double) startup.get("compile_ms")) : "(on first use)",
                (Double) startup.get("upload_ms"));
    }

    private static double ms(long since) {
        return (System.nanoTime() - since) / 1e6;
    }

    /** Every graph once on zero rows: kernels see ROWS = 0 and do nothing; their FIRST_EXECUTION arrays go up. */
    private void warmUp() {
        shared.meta.array().set(StepMeta.ROWS, 0);
        logitPick.set(0, 0);
        capturePick.set(0, 0);
        grids.resize(Grids.Family.STEP, 1);
        grids.resize(Grids.Family.LOGITS, 1);
        grids.resize(Grids.Family.CAPTURE, 1);
        run(embedGraph);
        for (int l = 0; l < config.numLayers(); l++) run(firstLayerGraph + l);
        run(finalGraph);
        run(logitsGraph);
        run(captureX);
        run(captureNormed);
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

    private TornadoExecutionResult run(int graph) {
        return plan.withGraph(graph).execute();
    }

    @Override
    public void embed(Step step) {
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
        this.step = step;
        shared.meta.fill(step, cache);
        grids.resize(Grids.Family.STEP, rows);
        run(embedGraph);
    }

    @Override
    public void layer(int layer, Step step) {
        run(firstLayerGraph + layer);
    }

    @Override
    public void finalNorm(Step step) {
        run(finalGraph);
    }

    @Override
    public void logits(int[] rows, float[] out) {
        int vocab = config.vocabSize();
        for (int from = 0; from < rows.length; from += settings.logitRows()) {
            int n = Math.min(settings.logitRows(), rows.length - from);
            pick(logitPick, rows, from, n);
            grids.resize(Grids.Family.LOGITS, n);
            run(logitsGraph).transferToHost(new DataRange(logitsOut).withSize((long) n * vocab));
            MemorySegment.copy(logitsOut.getSegment(), ValueLayout.JAVA_FLOAT, 0, out, from * vocab, n * vocab);
        }
    }

    @Override
    public void read(Buf buf, int[] rows, float[] out) {
        int graph = switch (buf) {
            case X -> captureX;
            case NORMED -> captureNormed;
            default -> throw new UnsupportedOperationException("the TornadoVM backend fuses " + buf + " away; it can read X and NORMED");
        };
        int d = config.hiddenSize();
        for (int from = 0; from < rows.length; from += settings.maxRows()) {
            int n = Math.min(settings.maxRows(), rows.length - from);
            pick(capturePick, rows, from, n);
            grids.resize(Grids.Family.CAPTURE, n);
            run(graph).transferToHost(new DataRange(captureOut).withSize((long) n * d));
            MemorySegment.copy(captureOut.getSegment(), ValueLayout.JAVA_FLOAT, 0, out, from * d, n * d);
        }
    }

    private void pick(IntArray pick, int[] rows, int from, int n) {
        int stepRows = step == null ? 0 : step.rows();
        pick.set(0, n);
        for (int i = 0; i < n; i++) {
            int r = rows[from + i];
            if (r < 0 || r >= stepRows) throw new IllegalArgumentException("row " + r + " is not in the step of " + stepRows + " rows");
            pick.set(1 + i, r);
        }
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
