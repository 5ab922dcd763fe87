package dev.srr.compute.tornado;

import dev.srr.SrrException;
import dev.srr.rank.Activation;
import dev.srr.rank.FeatureList;
import dev.srr.rank.Ranker;
import dev.srr.rank.RankerConfig;
import dev.srr.compute.Scorer;
import dev.srr.rank.Standardization;
import uk.ac.manchester.tornado.api.DataRange;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.exceptions.TornadoExecutionPlanException;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * The SRR ranker's inference as one TornadoVM task graph, weights resident on the device (FP32, transposed to
 * output-major at load so work-groups read weight rows contiguously):
 *
 * <pre>
 * x (up) ─[standardize]─► Z ─[proj: Z Wp + bp]─► H ─[type: H += E[type]]─► H
 * H ─[ln1]─► A ─[qkv]─► QKV ─[attention within each list]─► CTX ─[out: H += CTX Wo + bo]─► H
 * H ─[ln2]─► A ─[ff1]─► F ─[gelu|relu]─► F ─[ff2: H += F W2 + b2]─► H ─[cosine vs the list's row 0 / tau]─► S (down)
 * </pre>
 * Several lists go in one execution (up to {@code -Dsrr.tornado.scorer.maxRows} rows, default 256; a list may
 * hold up to {@link ScorerKernels#MAX_LIST} rows). Per call the feature rows and a small row-to-list table go up
 * and one float per row comes down. Float arithmetic against the CPU ranker's double: scores agree to ~1e-6
 * relative.
 */
public final class TornadoScorer implements Scorer {
    static final String MAX_ROWS = TornadoSettings.PREFIX + "scorer.maxRows";
    /** The CPU ranker's LayerNorm epsilon. */
    private static final float LN_EPS = 1e-5f;
    private static final int LOCAL_MATMUL = 128;
    private static final int LOCAL_ROW = 64;
    private static final int LOCAL_HEAD = 32;

    private final RankerConfig config;
    private final int maxRows;
    private final IntArray info;
    private final FloatArray in;
    private final FloatArray scores;
    private final Grids grids = new Grids();
    private final TornadoExecutionPlan plan;
    private final TornadoDevice device;

    public TornadoScorer(Ranker ranker) {
        this.config = ranker.config();
        this.maxRows = Integer.getInteger(MAX_ROWS, 256);
        if (maxRows < 1) throw new SrrException("-D" + MAX_ROWS + " must be positive");
        int d = config.featureDim();
        int p = config.projDim();
        int ff = config.ffDim();
        this.info = new IntArray(1 + 2 * maxRows);
        this.in = new FloatArray(maxRows * d);
        this.scores = new FloatArray(maxRows);
        FloatArray z = new FloatArray(maxRows * d);
        FloatArray h = new FloatArray(maxRows * p);
        FloatArray a = new FloatArray(maxRows * p);
        FloatArray qkv = new FloatArray(maxRows * 3 * p);
        FloatArray ctx = new FloatArray(maxRows * p);
        FloatArray f = new FloatArray(maxRows * ff);

        var params = ranker.parameters();
        Standardization std = ranker.standardization();
        FloatArray mean = new FloatArray(d);
        FloatArray scale = new FloatArray(d);
        for (int i = 0; i < d; i++) {
            mean.set(i, std == null ? 0f : std.mean()[i]);
            scale.set(i, std == null ? 1f : std.scale()[i]);
        }
        // tensor names as stored in ranker.safetensors
        FloatArray wProj = outputMajor(params.get("proj.weight"), d, p);
        FloatArray bProj = floats(params.get("proj.bias"));
        FloatArray type = floats(params.get("type_embedding"));
        FloatArray ln1g = floats(params.get("ln1.gain"));
        FloatArray ln1b = floats(params.get("ln1.bias"));
        FloatArray wQkv = outputMajor(params.get("attn.qkv.weight"), p, 3 * p);
        FloatArray bQkv = floats(params.get("attn.qkv.bias"));
        FloatArray wOut = outputMajor(params.get("attn.out.weight"), p, p);
        FloatArray bOut = floats(params.get("attn.out.bias"));
        FloatArray ln2g = floats(params.get("ln2.gain"));
        FloatArray ln2b = floats(params.get("ln2.bias"));
        FloatArray wFf1 = outputMajor(params.get("ff.in.weight"), p, ff);
        FloatArray bFf1 = floats(params.get("ff.in.bias"));
        FloatArray wFf2 = outputMajor(params.get("ff.out.weight"), ff, p);
        FloatArray bFf2 = floats(params.get("ff.out.bias"));

        String g = "scorer";
        TaskGraph graph = new TaskGraph(g)
                .transferToDevice(DataTransferMode.FIRST_EXECUTION, mean, scale, wProj, bProj, type, ln1g, ln1b, wQkv, bQkv,
                        wOut, bOut, ln2g, ln2b, wFf1, bFf1, wFf2, bFf2, z, h, a, qkv, ctx, f, scores)
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, info, in)
                .task("standardize", ScorerKernels::standardize, new KernelContext(), info, in, mean, scale, z, d)
                .task("proj", Kernels::matmulF32, new KernelContext(), info, StepMeta.ROWS, z, wProj, bProj, h, d, p, 1, 0)
                .task("type", ScorerKernels::addType, new KernelContext(), info, h, type, p)
                .task("ln1", ScorerKernels::layerNorm, new KernelContext(), info, h, ln1g, ln1b, a, p, LN_EPS)
                .task("qkv", Kernels::matmulF32, new KernelContext(), info, StepMeta.ROWS, a, wQkv, bQkv, qkv, p, 3 * p, 1, 0)
                .task("attention", ScorerKernels::listAttention, new KernelContext(), info, qkv, ctx, p, config.heads())
                .task("out", Kernels::matmulF32, new KernelContext(), info, StepMeta.ROWS, ctx, wOut, bOut, h, p, p, 1, 1)
                .task("ln2", ScorerKernels::layerNorm, new KernelContext(), info, h, ln2g, ln2b, a, p, LN_EPS)
                .task("ff1", Kernels::matmulF32, new KernelContext(), info, StepMeta.ROWS, a, wFf1, bFf1, f, p, ff, 1, 0)
                .task("act", ScorerKernels::activation, new KernelContext(), info, f, ff, config.activation() == Activation.GELU ? 1 : 0)
                .task("ff2", Kernels::matmulF32, new KernelContext(), info, StepMeta.ROWS, f, wFf2, bFf2, h, ff, p, 1, 1)
                .task("cosine", ScorerKernels::cosine, new KernelContext(), info, h, scores, p, (float) config.tau())
                .transferToHost(DataTransferMode.UNDER_DEMAND, scores);
        grids.add(Grids.Family.STEP, g, "standardize", Grids.Shape.ROWS, 1, LOCAL_ROW);
        grids.add(Grids.Family.STEP, g, "proj", Grids.Shape.ROW_BLOCKS, p, LOCAL_MATMUL);
        grids.add(Grids.Family.STEP, g, "type", Grids.Shape.ROWS, 1, LOCAL_ROW);
        grids.add(Grids.Family.STEP, g, "ln1", Grids.Shape.ROWS, 1, LOCAL_ROW);
        grids.add(Grids.Family.STEP, g, "qkv", Grids.Shape.ROW_BLOCKS, 3 * p, LOCAL_MATMUL);
        grids.add(Grids.Family.STEP, g, "attention", Grids.Shape.PER_ROW, config.heads(), LOCAL_HEAD);
        grids.add(Grids.Family.STEP, g, "out", Grids.Shape.ROW_BLOCKS, p, LOCAL_MATMUL);
        grids.add(Grids.Family.STEP, g, "ln2", Grids.Shape.ROWS, 1, LOCAL_ROW);
        grids.add(Grids.Family.STEP, g, "ff1", Grids.Shape.ROW_BLOCKS, ff, LOCAL_MATMUL);
        grids.add(Grids.Family.STEP, g, "act", Grids.Shape.ROWS, 1, LOCAL_ROW);
        grids.add(Grids.Family.STEP, g, "ff2", Grids.Shape.ROW_BLOCKS, p, LOCAL_MATMUL);
        grids.add(Grids.Family.STEP, g, "cosine", Grids.Shape.ROWS, 1, LOCAL_ROW);

        this.device = TornadoDevices.select(System.getProperty(TornadoSettings.DEVICE, ""));
        this.plan = new TornadoExecutionPlan(graph.snapshot());
        plan.withDevice(device).withGridScheduler(grids.scheduler());
    }

    /** The device in use, for logs. */
    public String description() {
        return TornadoDevices.describe(device);
    }

    @Override
    public List<double[]> scoreAll(List<FeatureList> lists) {
        List<double[]> out = new ArrayList<>(lists.size());
        int from = 0;
        while (from < lists.size()) {
            int to = from;
            int rows = 0;
            while (to < lists.size() && rows + rowsOf(lists.get(to)) <= maxRows) rows += rowsOf(lists.get(to++));
            if (to == from) {
                throw new SrrException("list " + lists.get(from).id() + " has " + rowsOf(lists.get(from)) + " rows; the TornadoVM scorer "
                        + "holds " + Math.min(maxRows, ScorerKernels.MAX_LIST) + " (raise -D" + MAX_ROWS + ")");
            }
            out.addAll(run(lists.subList(from, to), rows));
            from = to;
        }
        return out;
    }

    private static int rowsOf(FeatureList l) {
        return 1 + l.size();
    }

    /** One execution: the lists' rows go up, one score per row comes down. */
    private List<double[]> run(List<FeatureList> lists, int rows) {
        int d = config.featureDim();
        MemorySegment x = in.getSegment();
        info.set(StepMeta.ROWS, rows);
        int row = 0;
        for (FeatureList l : lists) {
            if (l.dim() != d) throw new SrrException("list " + l.id() + ": features have dimension " + l.dim() + " but the ranker expects " + d);
            if (rowsOf(l) > ScorerKernels.MAX_LIST) {
                throw new SrrException("list " + l.id() + " has " + rowsOf(l) + " rows; the TornadoVM scorer holds " + ScorerKernels.MAX_LIST);
            }
            int start = row;
            for (int i = 0; i <= l.size(); i++, row++) {
                MemorySegment.copy(i == 0 ? l.instruction() : l.candidates()[i - 1], 0, x, ValueLayout.JAVA_FLOAT, (long) row * d * Float.BYTES, d);
                info.set(ScorerKernels.listStart(row), start);
                info.set(ScorerKernels.listStart(row) + 1, rowsOf(l));
            }
        }
        grids.resize(Grids.Family.STEP, rows);
        plan.execute().transferToHost(new DataRange(scores).withSize(rows));
        List<double[]> out = new ArrayList<>(lists.size());
        row = 0;
        for (FeatureList l : lists) {
            double[] s = new double[l.size()];
            for (int i = 0; i < s.length; i++) s[i] = scores.get(row + 1 + i);
            out.add(s);
            row += rowsOf(l);
        }
        return out;
    }

    /** {@code w} is input-major ({@code in x out}, as the ranker stores it); the kernels read output rows. */
    private static FloatArray outputMajor(double[] w, int in, int out) {
        FloatArray t = new FloatArray(in * out);
        for (int i = 0; i < in; i++) {
            for (int o = 0; o < out; o++) t.set(o * in + i, (float) w[i * out + o]);
        }
        return t;
    }

    private static FloatArray floats(double[] v) {
        FloatArray a = new FloatArray(v.length);
        for (int i = 0; i < v.length; i++) a.set(i, (float) v[i]);
        return a;
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
