package dev.srr.compute;

import dev.srr.model.ModelConfig;
import dev.srr.model.ModelWeights;
import dev.srr.model.Weights;
import dev.srr.tensor.Tensor;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the layer plan on the CPU with the Vector API, weights read in place from the mapped files. The plan is
 * regrouped once ({@link FusedPlan}) so projections of one input share one packing and one parallel pass,
 * SwiGLU runs inside the gate/up pass and residual adds inside the projection that feeds them.
 */
public final class CpuBackend implements Backend {
    private final ModelConfig config;
    private final Weights weights;
    private final List<List<FusedPlan.Exec>> plans;
    private final Map<String, float[]> smallVectors = new HashMap<>();
    private final RopeTable rope;
    private final CpuKvCache cache;
    private final EnumMap<Buf, float[]> buffers = new EnumMap<>(Buf.class);
    /** Scratch: a projection's input packed for its kernels (reused across steps: decode allocates nothing big). */
    private float[] packed = new float[0];
    private float[] row = new float[0];
    private final Tensor embedding;
    private final Tensor lmHead;
    private final float[] finalNorm;

    public CpuBackend(ModelConfig config, Weights weights) {
        this.config = config;
        this.weights = weights;
        this.plans = java.util.stream.IntStream.range(0, config.numLayers())
                .mapToObj(i -> FusedPlan.of(LayerPlan.layer(config, i))).toList();
        this.rope = new RopeTable(config);
        this.cache = new CpuKvCache(config.numLayers(), config.kvDim(), config.maxPositions());
        this.embedding = weights.all().get(ModelWeights.EMBED);
        this.lmHead = weights.all().get(ModelWeights.lmHead(config));
        this.finalNorm = vector(ModelWeights.FINAL_NORM);
        for (Buf b : Buf.values()) buffers.put(b, new float[0]);
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public KvCache cache() {
        return cache;
    }

    private float[] vector(String name) {
        return name == null ? null : smallVectors.computeIfAbsent(name, n -> weights.all().get(n).toFloatArray());
    }

    private float[] buf(Buf b) {
        return buffers.get(b);
    }

    /** Layer by layer: embedding, layers up to the request's depth, final norm when needed, reading rows as it goes. */
    @Override
    public StepOutput run(StepRequest request) {
        Step step = request.step();
        int layers = config.numLayers();
        int[] rows = request.rows();
        Map<Integer, float[]> hidden = new HashMap<>();
        embed(step);
        if (request.captures(0)) hidden.put(0, read(Buf.X, rows));
        int depth = request.depth(layers);
        for (int l = 0; l < depth; l++) {
            layer(l, step);
            if (l + 1 < layers && request.captures(l + 1)) hidden.put(l + 1, read(Buf.X, rows));
        }
        float[] raw = request.rawLast() ? read(Buf.X, rows) : null;
        float[] logits = null;
        if (request.needsFinalNorm(layers)) {
            finalNorm(step);
            if (request.captures(layers)) hidden.put(layers, read(Buf.NORMED, rows));
            if (request.logitRows().length > 0) {
                logits = new float[request.logitRows().length * config.vocabSize()];
                logits(request.logitRows(), logits);
            }
        }
        return new StepOutput(hidden, raw, logits);
    }

    private float[] read(Buf b, int[] rows) {
        float[] out = new float[rows.length * b.width(config)];
        read(b, rows, out);
        return out;
    }

    private void embed(Step step) {
        int rows = step.rows();
        int widest = 0;
        for (Buf b : Buf.values()) {
            int need = rows * b.width(config);
            widest = Math.max(widest, need);
            if (buffers.get(b).length < need) buffers.put(b, new float[need]);
        }
        if (packed.length < widest) packed = new float[widest];
        int d = config.hiddenSize();
        float[] x = buf(Buf.X);
        if (row.length < d) row = new float[d];
        for (int r = 0; r < rows; r++) {
            int t = step.tokens()[r];
            if (t < 0 || t >= config.vocabSize()) {
                throw new dev.srr.SrrException("token id " + t + " is outside the vocabulary of " + config.vocabSize());
            }
            CpuKernels.widen(embedding, (long) t * d, row, d);
            System.arraycopy(row, 0, x, r * d, d);
        }
    }

    private void layer(int layer, Step step) {
        int rows = step.rows();
        for (FusedPlan.Exec e : plans.get(layer)) {
            switch (e) {
                case FusedPlan.Exec.Single single -> execute(single.op(), step);
                case FusedPlan.Exec.Projections p -> {
                    MatMul.Target[] targets = new MatMul.Target[p.linears().size()];
                    for (int j = 0; j < targets.length; j++) {
                        Op.Linear l = p.linears().get(j);
                        Buf out = p.outs().get(j);
                        targets[j] = new MatMul.Target(weights.all().get(l.weight()), vector(l.bias()), buf(out),
                                out.width(config), p.accumulate().get(j));
                    }
                    int inW = p.in().width(config);
                    for (MatMul.Target[] group : byLayout(targets, rows)) MatMul.linear(pack(p.in(), rows, inW, group), rows, inW, group);
                }
                case FusedPlan.Exec.GateUp g -> {
                    int w = g.gate().out().width(config);
                    MatMul.Target gate = new MatMul.Target(weights.all().get(g.gate().weight()), vector(g.gate().bias()),
                            buf(g.gate().out()), w, false);
                    MatMul.Target up = new MatMul.Target(weights.all().get(g.up().weight()), vector(g.up().bias()),
                            buf(g.up().out()), w, false);
                    int inW = g.gate().in().width(config);
                    if (MatMul.packing(gate.weight().dtype(), rows) == MatMul.packing(up.weight().dtype(), rows)) {
                        MatMul.gateUp(pack(g.gate().in(), rows, inW, gate, up), rows, inW, gate, up);
                    } else {
                        MatMul.linear(pack(g.gate().in(), rows, inW, gate), rows, inW, gate);
                        MatMul.linear(pack(g.gate().in(), rows, inW, up), rows, inW, up);
                        CpuKernels.swiGlu(gate.out(), up.out(), rows * w);
                    }
                }
            }
        }
    }

    /** Packs {@code rows} rows of {@code in} for the targets' kernels, which share one layout ({@link #byLayout}). */
    private float[] pack(Buf in, int rows, int inW, MatMul.Target... targets) {
        MatMul.packing(targets[0].weight().dtype(), rows).pack(buf(in), rows, inW, packed);
        return packed;
    }

    /**
     * The targets grouped by the activation layout their kernels read, in order of first appearance: one group (one
     * packing, one parallel pass) when all agree, as in a checkpoint of one dtype or one mixing only block types
     * (llama.cpp's Q4_K/Q6_K mixes); two when a layer mixes, e.g., BF16 with F32 or quantized weights.
     */
    private static List<MatMul.Target[]> byLayout(MatMul.Target[] targets, int rows) {
        Packing first = MatMul.packing(targets[0].weight().dtype(), rows);
        boolean one = true;
        for (MatMul.Target t : targets) one &= MatMul.packing(t.weight().dtype(), rows) == first;
        if (one) return List.<MatMul.Target[]>of(targets);
        Map<Packing, List<MatMul.Target>> groups = new java.util.LinkedHashMap<>();
        for (MatMul.Target t : targets) groups.computeIfAbsent(MatMul.packing(t.weight().dtype(), rows), k -> new java.util.ArrayList<>()).add(t);
        return groups.values().stream().map(g -> g.toArray(MatMul.Target[]::new)).toList();
    }

    private void execute(Op op, Step s) {
        int rows = s.rows();
        switch (op) {
            case Op.RmsNorm n -> CpuKernels.rmsNorm(buf(n.in()), buf(n.out()), rows, n.in().width(config),
                    vector(n.weight()), config.rmsNormEps());
            case Op.Linear l -> CpuKernels.linear(buf(l.in()), buf(l.out()), rows, l.in().width(config),
                    l.out().width(config), weights.all().get(l.weight()), vector(l.bias()));
            case Op.HeadNorm h -> CpuKernels.headNorm(buf(h.buf()), rows, h.heads(), config.headDim(),
                    vector(h.weight()), config.rmsNormEps());
            case Op.Rope r -> CpuKernels.rope(buf(r.buf()), rows, r.heads(), config.headDim(), s.positions(), rope);
            case Op.Attention a -> CpuAttention.run(config, cache, a.layer(), s, buf(a.q()), buf(a.k()), buf(a.v()), buf(a.out()));
            case Op.SwiGlu g -> CpuKernels.swiGlu(buf(g.gate()), buf(g.up()), rows * g.gate().width(config));
            case Op.Residual r -> CpuKernels.add(buf(r.acc()), buf(r.in()), rows * r.acc().width(config));
        }
    }

    private void finalNorm(Step step) {
        CpuKernels.rmsNorm(buf(Buf.X), buf(Buf.NORMED), step.rows(), config.hiddenSize(), finalNorm, config.rmsNormEps());
    }

    private void logits(int[] rows, float[] out) {
        int d = config.hiddenSize();
        if (packed.length < rows.length * d) packed = new float[rows.length * d];
        MatMul.packing(lmHead.dtype(), rows.length).pack(buf(Buf.NORMED), rows, d, packed);
        MatMul.linear(packed, rows.length, d, new MatMul.Target(lmHead, null, out, config.vocabSize(), false));
    }

    private void read(Buf b, int[] rows, float[] out) {
        int w = b.width(config);
        float[] src = buf(b);
        for (int i = 0; i < rows.length; i++) System.arraycopy(src, rows[i] * w, out, i * w, w);
    }

    @Override
    public void close() {
        // weights belong to the checkpoint; host buffers are garbage collected
    }
}
