package dev.srr.compute.tornado;

import dev.srr.compute.Buf;
import dev.srr.compute.LayerPlan;
import dev.srr.model.ModelConfig;
import dev.srr.model.ModelWeights;
import uk.ac.manchester.tornado.api.ImmutableTaskGraph;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.HalfFloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;
import uk.ac.manchester.tornado.api.types.arrays.ShortArray;
import uk.ac.manchester.tornado.api.types.arrays.TornadoNativeArray;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds the task graphs of one model. Each graph consumes the {@link SharedBuffers} from the graph run before
 * it and persists them; its own weights and KV cache go up once ({@code FIRST_EXECUTION}) and stay resident.
 * Per step only the {@link StepMeta} goes up, and only the rows the host asks for come down.
 */
final class Graphs {
    private final ModelConfig c;
    private final TornadoSettings s;
    private final DeviceWeights weights;
    private final SharedBuffers shared;
    private final Grids grids;
    /** Stand-in for absent biases and head norms: kernels take a flag and never read it. */
    private final FloatArray none = new FloatArray(1);
    private final List<ImmutableTaskGraph> built = new ArrayList<>();

    Graphs(ModelConfig c, TornadoSettings s, DeviceWeights weights, SharedBuffers shared, Grids grids) {
        this.c = c;
        this.s = s;
        this.weights = weights;
        this.shared = shared;
        this.grids = grids;
    }

    List<ImmutableTaskGraph> built() {
        return built;
    }

    private int add(TaskGraph g) {
        built.add(g.snapshot());
        return built.size() - 1;
    }

    /**
     * Allocates the shared buffers on the device and uploads the RoPE tables and embedding, once.
     * <pre>
     * host ──(all shared)──► [embed with 0 rows] ──persist──► shared
     * </pre>
     */
    int init() {
        TaskGraph g = new TaskGraph("init")
                .transferToDevice(DataTransferMode.FIRST_EXECUTION, shared.all());
        embedTask(g, "embed");
        grids.add(Grids.Family.INIT, "init", "embed", Grids.Shape.ROWS, 1, 1);
        int i = 0;
        for (FloatArray a : new FloatArray[]{shared.normed, shared.qkv, shared.attn, shared.hidden, shared.scores, shared.cos, shared.sin}) {
            String task = "touch_" + i++;
            g.task(task, Kernels::touch, new KernelContext(), a);
            grids.add(Grids.Family.INIT, "init", task, Grids.Shape.ROWS, 1, 1);
        }
        g.persistOnDevice(shared.all());
        return add(g);
    }

    /**
     * <pre>
     * meta (up, every step) ─► [embed: X[r] = E[token[r]]] ─► X
     * </pre>
     */
    int embed() {
        TaskGraph g = new TaskGraph("embed")
                .consumeFromDevice(shared.allButMeta())
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, shared.meta.array());
        embedTask(g, "embed");
        grids.add(Grids.Family.STEP, "embed", "embed", Grids.Shape.ROWS, 1, s.localCopy());
        g.persistOnDevice(shared.all());
        return add(g);
    }

    private void embedTask(TaskGraph g, String name) {
        int d = c.hiddenSize();
        if (shared.embedding instanceof HalfFloatArray h) {
            g.task(name, Kernels::embedF16, new KernelContext(), shared.meta.array(), h, shared.x, d);
        } else if (shared.embedding instanceof ShortArray r) {
            g.task(name, Kernels::embedRaw16, new KernelContext(), shared.meta.array(), r, shared.x, d, weights.fp16(r));
        } else {
            g.task(name, Kernels::embedF32, new KernelContext(), shared.meta.array(), (FloatArray) shared.embedding, shared.x, d);
        }
    }

    /**
     * One decoder layer, fused from its {@link LayerPlan} by {@link Fuser} (8 tasks):
     * <pre>
     * X ─[input_layernorm]─► NORMED ─[qkv: Wqkv (+b)]─► QKV ─[rope: head norm, RoPE, store k,v]─► K$,V$ (this layer)
     * QKV,K$,V$ ─[attention]─► ATTN ─[o_proj: X += ATTN Wo]─► X
     * X ─[post_attention_layernorm]─► NORMED ─[gate_up: silu(NORMED Wg) * NORMED Wu]─► HID ─[down_proj: X += HID Wd]─► X
     * </pre>
     * Weights and this layer's KV cache (slots x context x kvDim each) are sent once and stay on the device.
     */
    int layer(int layer) {
        String name = "layer_" + layer;
        TaskGraph g = new TaskGraph(name).consumeFromDevice(shared.all());
        FloatArray keys = new FloatArray(s.slots() * s.context() * c.kvDim());
        FloatArray values = new FloatArray(s.slots() * s.context() * c.kvDim());
        List<Object> resident = new ArrayList<>(List.of(none, keys, values));
        List<Runnable> tasks = new ArrayList<>();
        int d = c.hiddenSize();
        int qkvW = c.qDim() + 2 * c.kvDim();
        IntArray meta = shared.meta.array();
        for (Stage st : Fuser.fuse(LayerPlan.layer(c, layer))) {
            String task = st.name();
            switch (st) {
                case Stage.Norm n -> {
                    FloatArray w = weights.vector(n.weight());
                    resident.add(w);
                    tasks.add(() -> g.task(task, Kernels::rmsNorm, new KernelContext(), meta, shared.x, w, shared.normed, d, c.rmsNormEps()));
                    grids.add(Grids.Family.STEP, name, task, Grids.Shape.ROWS, 1, s.localNorm());
                }
                case Stage.Qkv q -> {
                    TornadoNativeArray w = weights.matrix(q.weights());
                    FloatArray b = q.biases() == null ? none : weights.vector(q.biases());
                    resident.add(w);
                    resident.add(b);
                    tasks.add(() -> matmul(g, task, shared.normed, w, b, q.biases() != null, shared.qkv, d, qkvW, false));
                    grids.add(Grids.Family.STEP, name, task, Grids.Shape.ROW_BLOCKS, qkvW, s.localMatmul());
                }
                case Stage.RopeStore r -> {
                    boolean norm = r.qNorm() != null;
                    FloatArray qn = norm ? weights.vector(r.qNorm()) : none;
                    FloatArray kn = norm ? weights.vector(r.kNorm()) : none;
                    resident.add(qn);
                    resident.add(kn);
                    tasks.add(() -> g.task(task, Kernels::ropeStore, new KernelContext(), meta, shared.qkv, qn, kn, shared.cos, shared.sin,
                            keys, values, c.numHeads(), c.numKvHeads(), c.headDim(), norm ? 1 : 0, c.rmsNormEps(), s.context()));
                    grids.add(Grids.Family.STEP, name, task, Grids.Shape.PER_ROW, c.numHeads() + 2 * c.numKvHeads(), s.localHead());
                }
                case Stage.Attend a -> {
                    float scale = (float) (1.0 / Math.sqrt(c.headDim()));
                    tasks.add(() -> g.task(task, Kernels::attention, new KernelContext(), meta, shared.qkv, keys, values, shared.scores,
                            shared.attn, c.numHeads(), c.numKvHeads(), c.headDim(), c.slidingWindow(), scale, s.context()));
                    grids.add(Grids.Family.STEP, name, task, Grids.Shape.PER_ROW, c.numHeads(), s.localAttention());
                }
                case Stage.ProjectAdd p -> {
                    TornadoNativeArray w = weights.matrix(p.weight());
                    resident.add(w);
                    FloatArray in = p.in() == Buf.ATTN ? shared.attn : shared.hidden;
                    int inW = p.in().width(c);
                    tasks.add(() -> matmul(g, task, in, w, none, false, shared.x, inW, d, true));
                    grids.add(Grids.Family.STEP, name, task, Grids.Shape.ROW_BLOCKS, d, s.localMatmul());
                }
                case Stage.GateUp gu -> {
                    TornadoNativeArray w = weights.matrix(gu.gate(), gu.up());
                    resident.add(w);
                    int inter = c.intermediateSize();
                    tasks.add(() -> {
                        if (w instanceof HalfFloatArray h) {
                            g.task(task, Kernels::gateUpF16, new KernelContext(), meta, shared.normed, h, shared.hidden, d, inter);
                        } else if (w instanceof ShortArray r) {
                            g.task(task, Kernels::gateUpRaw16, new KernelContext(), meta, shared.normed, r, shared.hidden, d, inter, weights.fp16(r));
                        } else {
                            g.task(task, Kernels::gateUpF32, new KernelContext(), meta, shared.normed, (FloatArray) w, shared.hidden, d, inter);
                        }
                    });
                    grids.add(Grids.Family.STEP, name, task, Grids.Shape.ROW_BLOCKS, inter, s.localMatmul());
                }
            }
        }
        g.transferToDevice(DataTransferMode.FIRST_EXECUTION, resident.toArray());
        tasks.forEach(Runnable::run);
        g.persistOnDevice(shared.all());
        return add(g);
    }

    private void matmul(TaskGraph g, String task, FloatArray in, TornadoNativeArray w, FloatArray bias, boolean hasBias,
                        FloatArray out, int inW, int outW, boolean accumulate) {
        IntArray meta = shared.meta.array();
        int b = hasBias ? 1 : 0;
        int acc = accumulate ? 1 : 0;
        if (w instanceof HalfFloatArray h) {
            g.task(task, Kernels::matmulF16, new KernelContext(), meta, in, h, bias, out, inW, outW, b, acc);
        } else if (w instanceof ShortArray r) {
            g.task(task, Kernels::matmulRaw16, new KernelContext(), meta, in, r, bias, out, inW, outW, b, acc, weights.fp16(r));
        } else {
            g.task(task, Kernels::matmulF32, new KernelContext(), meta, in, (FloatArray) w, bias, out, inW, outW, b, acc);
        }
    }

    /**
     * <pre>
     * X ─[norm]─► NORMED
     * </pre>
     */
    int finalNorm() {
        FloatArray w = weights.vector(ModelWeights.FINAL_NORM);
        TaskGraph g = new TaskGraph("final")
                .consumeFromDevice(shared.all())
                .transferToDevice(DataTransferMode.FIRST_EXECUTION, w)
                .task("norm", Kernels::rmsNorm, new KernelContext(), shared.meta.array(), shared.x, w, shared.normed, c.hiddenSize(), c.rmsNormEps())
                .persistOnDevice(shared.all());
        grids.add(Grids.Family.STEP, "final", "norm", Grids.Shape.ROWS, 1, s.localNorm());
        return add(g);
    }

    /**
     * Logits of the picked rows only; the host copies back just those rows.
     * <pre>
     * pick (up) ─► [lm_head: LOGITS[i] = NORMED[pick[i]] Wlm] ─► LOGITS (down, on demand, partial)
     * </pre>
     */
    int logits(IntArray pick, FloatArray out) {
        TornadoNativeArray head = c.tiedEmbeddings() ? shared.embedding : weights.matrix(ModelWeights.LM_HEAD);
        TaskGraph g = new TaskGraph("logits").consumeFromDevice(shared.all());
        if (!c.tiedEmbeddings()) g.transferToDevice(DataTransferMode.FIRST_EXECUTION, head);
        g.transferToDevice(DataTransferMode.EVERY_EXECUTION, pick);
        int d = c.hiddenSize();
        int vocab = c.vocabSize();
        if (head instanceof HalfFloatArray h) {
            g.task("lm_head", Kernels::lmHeadF16, new KernelContext(), pick, shared.normed, h, out, d, vocab);
        } else if (head instanceof ShortArray r) {
            g.task("lm_head", Kernels::lmHeadRaw16, new KernelContext(), pick, shared.normed, r, out, d, vocab, weights.fp16(r));
        } else {
            g.task("lm_head", Kernels::lmHeadF32, new KernelContext(), pick, shared.normed, (FloatArray) head, out, d, vocab);
        }
        grids.add(Grids.Family.LOGITS, "logits", "lm_head", Grids.Shape.ROW_BLOCKS, vocab, s.localMatmul());
        g.persistOnDevice(shared.all());
        g.transferToHost(DataTransferMode.UNDER_DEMAND, out);
        return add(g);
    }

    /**
     * Copies the picked rows of one shared buffer into a staging buffer the host reads partially.
     * <pre>
     * pick (up) ─► [gather: OUT[i] = SRC[pick[i]]] ─► OUT (down, on demand, partial)
     * </pre>
     */
    int capture(String name, FloatArray src, int width, IntArray pick, FloatArray out) {
        TaskGraph g = new TaskGraph(name)
                .consumeFromDevice(shared.all())
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, pick)
                .task("gather", Kernels::gatherRows, new KernelContext(), pick, src, out, width)
                .persistOnDevice(shared.all())
                .transferToHost(DataTransferMode.UNDER_DEMAND, out);
        grids.add(Grids.Family.CAPTURE, name, "gather", Grids.Shape.ROWS, 1, s.localCopy());
        return add(g);
    }
}
