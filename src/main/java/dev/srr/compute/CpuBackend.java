package dev.srr.compute;

import dev.srr.model.ModelConfig;
import dev.srr.model.ModelWeights;
import dev.srr.model.Weights;
import dev.srr.tensor.Tensor;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs the layer plan op by op on the CPU with the Vector API, weights read in place from the mapped files. */
public final class CpuBackend implements Backend {
    private final ModelConfig config;
    private final Weights weights;
    private final List<List<Op>> plans;
    private final Map<String, float[]> smallVectors = new HashMap<>();
    private final RopeTable rope;
    private final CpuKvCache cache;
    private final EnumMap<Buf, float[]> buffers = new EnumMap<>(Buf.class);
    private final Tensor embedding;
    private final Tensor lmHead;
    private final float[] finalNorm;
    private Step step;

    public CpuBackend(ModelConfig config, Weights weights) {
        this.config = config;
        this.weights = weights;
        this.plans = java.util.stream.IntStream.range(0, config.numLayers()).mapToObj(i -> LayerPlan.layer(config, i)).toList();
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

    @Override
    public void embed(Step step) {
        this.step = step;
        int rows = step.rows();
        for (Buf b : Buf.values()) {
            int need = rows * b.width(config);
            if (buffers.get(b).length < need) buffers.put(b, new float[need]);
        }
        int d = config.hiddenSize();
        float[] x = buf(Buf.X);
        float[] row = new float[d];
        for (int r = 0; r < rows; r++) {
            int t = step.tokens()[r];
            if (t < 0 || t >= config.vocabSize()) {
                throw new dev.srr.SrrException("token id " + t + " is outside the vocabulary of " + config.vocabSize());
            }
            CpuKernels.widen(embedding, (long) t * d, row, d);
            System.arraycopy(row, 0, x, r * d, d);
        }
    }

    @Override
    public void layer(int layer, Step step) {
        for (Op op : plans.get(layer)) execute(op, step);
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

    @Override
    public void finalNorm(Step step) {
        CpuKernels.rmsNorm(buf(Buf.X), buf(Buf.NORMED), step.rows(), config.hiddenSize(), finalNorm, config.rmsNormEps());
    }

    @Override
    public void logits(int[] rows, float[] out) {
        int d = config.hiddenSize();
        float[] in = new float[rows.length * d];
        read(Buf.NORMED, rows, in);
        CpuKernels.linear(in, out, rows.length, d, config.vocabSize(), lmHead, null);
    }

    @Override
    public void read(Buf b, int[] rows, float[] out) {
        int w = b.width(config);
        float[] src = buf(b);
        for (int i = 0; i < rows.length; i++) System.arraycopy(src, rows[i] * w, out, i * w, w);
    }

    @Override
    public void close() {
        // weights belong to the checkpoint; host buffers are garbage collected
    }

    Step currentStep() {
        return step;
    }
}
