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
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Builds the task graphs of a whole step: the tasks of every stage in order, cut into as few graphs ("blocks") as
 * TornadoVM allows, so a decode step is a handful of executions instead of one per layer.
 * <pre>
 * stage 0      embed: X[r] = E[token[r]]                                  ─► X ─[embed.capture]─► CAPTURES
 * stage 1 + l  layer l, fused from its {@link LayerPlan} by {@link Fuser}:
 *   X ─[layer_l.input_layernorm]─► NORMED ─[layer_l.qkv: Wqkv (+b)]─► QKV
 *   QKV ─[layer_l.rope: head norm, RoPE, store k,v]─► K$,V$ (layer l) ─[layer_l.attention]─► ATTN
 *   ATTN ─[layer_l.o_proj: X += ATTN Wo]─► X ─[layer_l.post_attention_layernorm]─► NORMED
 *   NORMED ─[layer_l.gate_up: silu(NORMED Wg) * NORMED Wu]─► HID ─[layer_l.down_proj: X += HID Wd]─► X
 *   X ─[layer_l.capture]─► CAPTURES
 * stage L + 1  X ─[final.norm]─► NORMED ─[final.capture]─► CAPTURES ; NORMED ─[logits.lm_head: picked rows]─► LOGITS
 * </pre>
 * {@code 9 L + 5} tasks. A TornadoVM 5.2 task graph holds about 11 of these layers (a fixed 8 KB task record and
 * at most 1024 graph nodes, neither configurable), so the stages are cut into blocks {@code block_0, block_1, ...}
 * of whole stages with at most {@code -Dsrr.tornado.blockLayers} (8) layers each. Which stages run, which capture points go to which staging slot and
 * which rows get logits is read from the {@link StepMeta}, uploaded by every block; a step that stops early
 * switches later stages off and skips blocks it does not reach.
 *
 * <p>Buffers: the weights and KV cache of a block's layers (one array per layer, slots x context x kvDim for keys
 * and for values) go up once ({@code FIRST_EXECUTION}) with that block. The {@link StepBuffers} are allocated once
 * by the {@code init} graph and passed from block to block on the device: each block consumes them from the graph
 * executed before it and persists them (TornadoVM hands device buffers over from the last executed graph, so every
 * block lists all of them). Only requested rows of CAPTURES and LOGITS come down.
 */
final class StepGraph {
    /** The graphs in plan order ({@code init} first) and the stages each block covers. */
    record Built(List<ImmutableTaskGraph> graphs, int[] blockFirstStage, int tasks) {
        /** Plan index of block b ({@code init} is 0). */
        int graph(int block) {
            return 1 + block;
        }

        int blocks() {
            return blockFirstStage.length;
        }
    }

    /** One task: its stage, its grid, the arrays it needs resident, how to add it to a graph. */
    private record Spec(int stage, String name, Grids.Family family, Grids.Shape shape, int groups, int local,
                        List<Object> resident, Consumer<TaskGraph> add) {
    }

    private final ModelConfig c;
    private final TornadoSettings s;
    private final DeviceWeights weights;
    private final StepBuffers buffers;
    /** Stand-in for absent biases and head norms: kernels take a flag and never read it. */
    private final FloatArray none = new FloatArray(1);
    private final List<Spec> specs = new ArrayList<>();

    private StepGraph(ModelConfig c, TornadoSettings s, DeviceWeights weights, StepBuffers buffers) {
        this.c = c;
        this.s = s;
        this.weights = weights;
        this.buffers = buffers;
    }

    static Built build(ModelConfig c, TornadoSettings s, DeviceWeights weights, StepBuffers buffers, Grids grids) {
        return new StepGraph(c, s, weights, buffers).build(grids);
    }

    private Built build(Grids grids) {
        embed();
        capture("embed.capture", 0, buffers.x, 0);
        for (int l = 0; l < c.numLayers(); l++) {
            layer(l);
            capture("layer_" + l + ".capture", 1 + l, buffers.x, l + 1);
        }
        finalNorm();
        capture("final.capture", c.numLayers() + 1, buffers.normed, c.numLayers() + 1);
        logits();

        List<ImmutableTaskGraph> graphs = new ArrayList<>();
        graphs.add(init(grids));
        List<Integer> firsts = new ArrayList<>();
        int i = 0;
        while (i < specs.size()) {
            int end = blockEnd(i);
            String name = "block_" + firsts.size();
            firsts.add(specs.get(i).stage());
            graphs.add(block(name, specs.subList(i, end), grids));
            i = end;
        }
        return new Built(graphs, firsts.stream().mapToInt(Integer::intValue).toArray(), specs.size());
    }

    /** End (exclusive) of the block starting at spec {@code from}: whole stages, at most {@code blockLayers} layers. */
    private int blockEnd(int from) {
        int layers = 0;
        int end = from;
        for (; end < specs.size(); end++) {
            int stage = specs.get(end).stage();
            boolean newStage = end == from || stage != specs.get(end - 1).stage();
            if (newStage && stage >= 1 && stage <= c.numLayers() && ++layers > s.blockLayers()) break;
        }
        return end;
    }

    private ImmutableTaskGraph block(String name, List<Spec> tasks, Grids grids) {
        TaskGraph g = new TaskGraph(name)
                .consumeFromDevice(buffers.shared())
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, meta());
        List<Object> resident = new ArrayList<>();
        for (Spec t : tasks) resident.addAll(t.resident());
        Object[] own = distinct(resident);
        if (own.length > 0) g.transferToDevice(DataTransferMode.FIRST_EXECUTION, own);
        for (Spec t : tasks) {
            t.add().accept(g);
            grids.add(t.family(), name, t.name(), t.shape(), t.groups(), t.local());
        }
        g.persistOnDevice(buffers.shared());
        g.transferToHost(DataTransferMode.UNDER_DEMAND, buffers.captures, buffers.logits);
        return g.snapshot();
    }

    /**
     * Runs once: allocates every shared buffer on the device and uploads the RoPE tables and the embedding. A
     * buffer is only allocated for a task that uses it, hence one small task per buffer.
     */
    private ImmutableTaskGraph init(Grids grids) {
        TaskGraph g = new TaskGraph("init").transferToDevice(DataTransferMode.FIRST_EXECUTION, buffers.shared());
        int i = 0;
        for (FloatArray a : buffers.sharedFloats()) {
            String task = "touch_" + i++;
            g.task(task, Kernels::touch, new KernelContext(), a);
            grids.add(Grids.Family.STEP, "init", task, Grids.Shape.ROWS, 1, 1);
        }
        TornadoNativeArray table = buffers.embedding;
        if (table instanceof HalfFloatArray h) {
            g.task("embed", Kernels::touchF16, new KernelContext(), h);
        } else if (table instanceof ShortArray r) {
            g.task("embed", Kernels::touchShort, new KernelContext(), r);
        } else {
            g.task("embed", Kernels::touch, new KernelContext(), (FloatArray) table);
        }
        grids.add(Grids.Family.STEP, "init", "embed", Grids.Shape.ROWS, 1, 1);
        g.persistOnDevice(buffers.shared());
        return g.snapshot();
    }

    private static Object[] distinct(List<Object> arrays) {
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        return arrays.stream().filter(seen::add).toArray();
    }

    private IntArray meta() {
        return buffers.meta.array();
    }

    private void add(int stage, String name, Grids.Family family, Grids.Shape shape, int groups, int local,
                     List<Object> resident, Consumer<TaskGraph> add) {
        specs.add(new Spec(stage, name, family, shape, groups, local, resident, add));
    }

    private void embed() {
        int d = c.hiddenSize();
        int gate = buffers.meta.gate(0);
        TornadoNativeArray table = buffers.embedding;
        add(0, "embed", Grids.Family.STEP, Grids.Shape.ROWS, 1, s.localCopy(), List.of(), g -> {
            if (table instanceof HalfFloatArray h) {
                g.task("embed", Kernels::embedF16, new KernelContext(), meta(), gate, h, buffers.x, d);
            } else if (table instanceof ShortArray r) {
                g.task("embed", Kernels::embedRaw16, new KernelContext(), meta(), gate, r, buffers.x, d, weights.fp16(r));
            } else {
                g.task("embed", Kernels::embedF32, new KernelContext(), meta(), gate, (FloatArray) table, buffers.x, d);
            }
        });
    }

    /** Gathers the captured rows of {@code src} into the point's staging slot, when the metadata gives it one. */
    private void capture(String task, int stage, FloatArray src, int point) {
        int slotAt = buffers.meta.slot(point);
        int pickAt = buffers.meta.captured();
        int d = c.hiddenSize();
        add(stage, task, Grids.Family.CAPTURE, Grids.Shape.ROWS, 1, s.localCopy(), List.of(),
                g -> g.task(task, Kernels::gatherRows, new KernelContext(), meta(), slotAt, pickAt, src, buffers.captures, d));
    }

    private void layer(int layer) {
        int stage = 1 + layer;
        String prefix = "layer_" + layer + ".";
        FloatArray keys = new FloatArray(s.slots() * s.context() * c.kvDim());
        FloatArray values = new FloatArray(s.slots() * s.context() * c.kvDim());
        int gate = buffers.meta.gate(stage);
        int d = c.hiddenSize();
        int qkvW = c.qDim() + 2 * c.kvDim();
        for (Stage st : Fuser.fuse(LayerPlan.layer(c, layer))) {
            String task = prefix + st.name();
            switch (st) {
                case Stage.Norm n -> {
                    FloatArray w = weights.vector(n.weight());
                    add(stage, task, Grids.Family.STEP, Grids.Shape.ROWS, 1, s.localNorm(), List.of(w),
                            g -> g.task(task, Kernels::rmsNorm, new KernelContext(), meta(), gate, buffers.x, w, buffers.normed, d, c.rmsNormEps()));
                }
                case Stage.Qkv q -> {
                    TornadoNativeArray w = weights.matrix(q.weights());
                    FloatArray b = q.biases() == null ? none : weights.vector(q.biases());
                    add(stage, task, Grids.Family.STEP, Grids.Shape.ROW_BLOCKS, qkvW, s.localMatmul(), List.of(w, b),
                            g -> matmul(g, task, gate, buffers.normed, w, b, q.biases() != null, buffers.qkv, d, qkvW, false));
                }
                case Stage.RopeStore r -> {
                    boolean norm = r.qNorm() != null;
                    FloatArray qn = norm ? weights.vector(r.qNorm()) : none;
                    FloatArray kn = norm ? weights.vector(r.kNorm()) : none;
                    add(stage, task, Grids.Family.STEP, Grids.Shape.PER_ROW, c.numHeads() + 2 * c.numKvHeads(), s.localHead(),
                            List.of(qn, kn, keys, values),
                            g -> g.task(task, Kernels::ropeStore, new KernelContext(), meta(), gate, buffers.qkv, qn, kn, buffers.cos, buffers.sin,
                                    keys, values, c.numHeads(), c.numKvHeads(), c.headDim(), norm ? 1 : 0, c.rmsNormEps(), s.context()));
                }
                case Stage.Attend a -> {
                    float scale = (float) (1.0 / Math.sqrt(c.headDim()));
                    add(stage, task, Grids.Family.STEP, Grids.Shape.PER_ROW, c.numHeads(), s.localAttention(), List.of(keys, values),
                            g -> g.task(task, Kernels::attention, new KernelContext(), meta(), gate, buffers.qkv, keys, values, buffers.scores,
                                    buffers.attn, c.numHeads(), c.numKvHeads(), c.headDim(), c.slidingWindow(), scale, s.context()));
                }
                case Stage.ProjectAdd p -> {
                    TornadoNativeArray w = weights.matrix(p.weight());
                    FloatArray in = p.in() == Buf.ATTN ? buffers.attn : buffers.hidden;
                    int inW = p.in().width(c);
                    add(stage, task, Grids.Family.STEP, Grids.Shape.ROW_BLOCKS, d, s.localMatmul(), List.of(w, none),
                            g -> matmul(g, task, gate, in, w, none, false, buffers.x, inW, d, true));
                }
                case Stage.GateUp gu -> {
                    TornadoNativeArray w = weights.matrix(gu.gate(), gu.up());
                    int inter = c.intermediateSize();
                    add(stage, task, Grids.Family.STEP, Grids.Shape.ROW_BLOCKS, inter, s.localMatmul(), List.of(w), g -> {
                        if (w instanceof HalfFloatArray h) {
                            g.task(task, Kernels::gateUpF16, new KernelContext(), meta(), gate, buffers.normed, h, buffers.hidden, d, inter);
                        } else if (w instanceof ShortArray r) {
                            g.task(task, Kernels::gateUpRaw16, new KernelContext(), meta(), gate, buffers.normed, r, buffers.hidden, d, inter, weights.fp16(r));
                        } else {
                            g.task(task, Kernels::gateUpF32, new KernelContext(), meta(), gate, buffers.normed, (FloatArray) w, buffers.hidden, d, inter);
                        }
                    });
                }
            }
        }
    }

    private void matmul(TaskGraph g, String task, int gate, FloatArray in, TornadoNativeArray w, FloatArray bias, boolean hasBias,
                        FloatArray out, int inW, int outW, boolean accumulate) {
        int b = hasBias ? 1 : 0;
        int acc = accumulate ? 1 : 0;
        if (w instanceof HalfFloatArray h) {
            g.task(task, Kernels::matmulF16, new KernelContext(), meta(), gate, in, h, bias, out, inW, outW, b, acc);
        } else if (w instanceof ShortArray r) {
            g.task(task, Kernels::matmulRaw16, new KernelContext(), meta(), gate, in, r, bias, out, inW, outW, b, acc, weights.fp16(r));
        } else {
            g.task(task, Kernels::matmulF32, new KernelContext(), meta(), gate, in, (FloatArray) w, bias, out, inW, outW, b, acc);
        }
    }

    private void finalNorm() {
        FloatArray w = weights.vector(ModelWeights.FINAL_NORM);
        int gate = buffers.meta.gate(c.numLayers() + 1);
        add(c.numLayers() + 1, "final.norm", Grids.Family.STEP, Grids.Shape.ROWS, 1, s.localNorm(), List.of(w),
                g -> g.task("final.norm", Kernels::rmsNorm, new KernelContext(), meta(), gate, buffers.x, w, buffers.normed,
                        c.hiddenSize(), c.rmsNormEps()));
    }

    /** The LM head over the picked rows only (the largest matrix, so never over rows nobody reads). */
    private void logits() {
        TornadoNativeArray head = c.tiedEmbeddings() ? buffers.embedding : weights.matrix(ModelWeights.LM_HEAD);
        int d = c.hiddenSize();
        int vocab = c.vocabSize();
        int pickAt = buffers.meta.logits();
        FloatArray out = buffers.logits;
        add(c.numLayers() + 1, "logits.lm_head", Grids.Family.LOGITS, Grids.Shape.ROW_BLOCKS, vocab, s.localMatmul(),
                c.tiedEmbeddings() ? List.of() : List.of(head), g -> {
                    if (head instanceof HalfFloatArray h) {
                        g.task("logits.lm_head", Kernels::lmHeadF16, new KernelContext(), meta(), pickAt, buffers.normed, h, out, d, vocab);
                    } else if (head instanceof ShortArray r) {
                        g.task("logits.lm_head", Kernels::lmHeadRaw16, new KernelContext(), meta(), pickAt, buffers.normed, r, out, d, vocab, weights.fp16(r));
                    } else {
                        g.task("logits.lm_head", Kernels::lmHeadF32, new KernelContext(), meta(), pickAt, buffers.normed, (FloatArray) head, out, d, vocab);
                    }
                });
    }
}
