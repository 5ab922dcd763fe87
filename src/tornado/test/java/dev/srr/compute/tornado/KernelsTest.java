package dev.srr.compute.tornado;

import dev.srr.TestData;
import dev.srr.compute.CpuKernels;
import dev.srr.compute.RopeTable;
import dev.srr.compute.Step;
import dev.srr.model.ConfigReader;
import dev.srr.model.ModelConfig;
import dev.srr.tensor.DType;
import dev.srr.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import uk.ac.manchester.tornado.api.GridScheduler;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.WorkerGrid;
import uk.ac.manchester.tornado.api.WorkerGrid1D;
import uk.ac.manchester.tornado.api.WorkerGrid2D;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;
import uk.ac.manchester.tornado.api.types.arrays.ShortArray;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each kernel alone, in a one-task graph, against the CPU backend's kernels on random inputs with awkward sizes
 * (rows not a multiple of the row block, widths not a multiple of the work-group size).
 */
class KernelsTest {
    static final double TOLERANCE = 1e-5;
    static double worst = 0;
    static String worstWhere = "";
    private static final Random RANDOM = new Random(42);

    static float[] random(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = RANDOM.nextFloat() * 2 - 1;
        return a;
    }

    static FloatArray device(float[] a) {
        return FloatArray.fromArray(a);
    }

    static Tensor tensor(float[] a, int rows, int cols) {
        MemorySegment seg = Arena.ofAuto().allocate((long) a.length * Float.BYTES);
        MemorySegment.copy(a, 0, seg, Tensor.F32_LE, 0, a.length);
        return new Tensor("w", DType.F32, new long[]{rows, cols}, seg);
    }

    static synchronized void check(String where, float[] actual, float[] expected) {
        double err = TestData.relativeError(actual, expected);
        if (err > worst) {
            worst = err;
            worstWhere = where;
        }
        assertTrue(err <= TOLERANCE, where + ": relative error " + err + " > " + TOLERANCE);
    }

    /** Step metadata for {@code rows} rows in slot 0 at positions {@code firstPos..}. */
    static StepMeta meta(int capacity, int rows, int firstPos) {
        StepMeta m = new StepMeta(capacity);
        DeviceKvCache cache = new DeviceKvCache(2, 64, 64);
        int seq = cache.newSequence();
        int[] pos = new int[rows];
        for (int r = 0; r < rows; r++) pos[r] = firstPos + r;
        m.fill(new Step(new int[rows], new int[rows], pos), cache);
        assertTrue(seq == 0);
        return m;
    }

    static WorkerGrid grid1(int groups, int local) {
        WorkerGrid g = new WorkerGrid1D(groups * local);
        g.setLocalWork(local, 1, 1);
        return g;
    }

    static WorkerGrid grid2(int groupsX, int groupsY, int local) {
        WorkerGrid g = new WorkerGrid2D(groupsX * local, groupsY);
        g.setLocalWork(local, 1, 1);
        return g;
    }

    /** Runs the one task of {@code g} (named "t") on {@code grid} and copies {@code outputs} back. */
    static void run(TaskGraph g, WorkerGrid grid, Object... outputs) {
        g.transferToHost(DataTransferMode.EVERY_EXECUTION, outputs);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(g.snapshot())) {
            plan.withGridScheduler(new GridScheduler(g.getTaskGraphName() + ".t", grid)).execute();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void rmsNorm() {
        int rows = 5;
        int d = 77;
        float[] x = random(rows * d);
        float[] w = random(d);
        float[] expected = new float[rows * d];
        CpuKernels.rmsNorm(x, expected, rows, d, w, 1e-6f);
        FloatArray out = new FloatArray(rows * d);
        IntArray m = meta(8, rows, 0).array();
        FloatArray dx = device(x);
        FloatArray dw = device(w);
        TaskGraph g = new TaskGraph("norm")
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, m, dx, dw)
                .task("t", Kernels::rmsNorm, new KernelContext(), m, StepMeta.ROWS, dx, dw, out, d, 1e-6f);
        run(g, grid1(rows, 32), out);
        check("rmsNorm", out.toHeapArray(), expected);
    }

    private void matmul(int rows, int inW, int outW, boolean bias, boolean accumulate) {
        float[] x = random(rows * inW);
        float[] w = random(outW * inW);
        float[] b = bias ? random(outW) : null;
        float[] start = random(rows * outW);
        float[] expected = new float[rows * outW];
        CpuKernels.linear(x, expected, rows, inW, outW, tensor(w, outW, inW), b);
        if (accumulate) CpuKernels.add(expected, start, rows * outW);
        FloatArray dx = device(x);
        FloatArray dw = device(w);
        FloatArray db = bias ? device(b) : new FloatArray(1);
        FloatArray out = accumulate ? device(start) : new FloatArray(rows * outW);
        IntArray m = meta(64, rows, 0).array();
        String name = "mm" + rows + "x" + inW + "x" + outW + (bias ? "b" : "") + (accumulate ? "a" : "");
        TaskGraph g = new TaskGraph(name)
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, m, dx, dw, db, out)
                .task("t", Kernels::matmulF32, new KernelContext(), m, StepMeta.ROWS, dx, dw, db, out, inW, outW, bias ? 1 : 0, accumulate ? 1 : 0);
        run(g, grid2(outW, (rows + Kernels.ROWS_PER_GROUP - 1) / Kernels.ROWS_PER_GROUP, 32), out);
        check(name, out.toHeapArray(), expected);
    }

    @Test
    void matmulPlain() {
        matmul(7, 77, 45, false, false);
    }

    @Test
    void matmulBiasOneRow() {
        matmul(1, 100, 33, true, false);
    }

    @Test
    void matmulAccumulate() {
        matmul(9, 64, 20, false, true);
        // three groups of rows (16, 16, 5): blocks of 4 inside a group, a last block of 1
        matmul(37, 64, 20, true, true);
    }

    @Test
    void gateUpSwiGlu() {
        int rows = 6;
        int inW = 50;
        int inter = 37;
        float[] x = random(rows * inW);
        float[] w = random(2 * inter * inW);
        float[] gate = new float[rows * inter];
        float[] up = new float[rows * inter];
        CpuKernels.linear(x, gate, rows, inW, inter, tensor(Arrays.copyOfRange(w, 0, inter * inW), inter, inW), null);
        CpuKernels.linear(x, up, rows, inW, inter, tensor(Arrays.copyOfRange(w, inter * inW, 2 * inter * inW), inter, inW), null);
        CpuKernels.swiGlu(gate, up, rows * inter);
        FloatArray dx = device(x);
        FloatArray dw = device(w);
        FloatArray out = new FloatArray(rows * inter);
        IntArray m = meta(8, rows, 0).array();
        TaskGraph g = new TaskGraph("gateup")
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, m, dx, dw)
                .task("t", Kernels::gateUpF32, new KernelContext(), m, StepMeta.ROWS, dx, dw, out, inW, inter);
        run(g, grid2(inter, 2, 16), out);
        check("gateUp", out.toHeapArray(), gate);
    }

    @Test
    void lmHeadOnPickedRows() {
        int rows = 5;
        int d = 40;
        int vocab = 71;
        int[] picked = {4, 0, 2, 3, 1};
        float[] x = random(rows * d);
        float[] w = random(vocab * d);
        float[] all = new float[rows * vocab];
        CpuKernels.linear(x, all, rows, d, vocab, tensor(w, vocab, d), null);
        float[] expected = new float[picked.length * vocab];
        for (int i = 0; i < picked.length; i++) System.arraycopy(all, picked[i] * vocab, expected, i * vocab, vocab);
        IntArray pick = new IntArray(1 + picked.length);
        pick.set(0, picked.length);
        for (int i = 0; i < picked.length; i++) pick.set(1 + i, picked[i]);
        FloatArray dx = device(x);
        FloatArray dw = device(w);
        FloatArray out = new FloatArray(picked.length * vocab);
        TaskGraph g = new TaskGraph("lmhead")
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, pick, dx, dw)
                .task("t", Kernels::lmHeadF32, new KernelContext(), pick, 0, dx, dw, out, d, vocab);
        run(g, grid2(vocab, 2, 32), out);
        check("lmHead", out.toHeapArray(), expected);
    }

    @Test
    void embedAndGather() {
        int d = 19;
        int vocab = 11;
        float[] table = random(vocab * d);
        StepMeta m = new StepMeta(4);
        DeviceKvCache cache = new DeviceKvCache(1, 8, 8);
        cache.newSequence();
        int[] tokens = {7, 0, 10};
        m.fill(new Step(tokens, new int[3], new int[]{0, 1, 2}), cache);
        FloatArray dt = device(table);
        FloatArray x = new FloatArray(4 * d);
        TaskGraph g = new TaskGraph("embed")
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, m.array(), dt)
                .task("t", Kernels::embedF32, new KernelContext(), m.array(), StepMeta.ROWS, dt, x, d);
        run(g, grid1(3, 8), x);
        float[] expected = new float[3 * d];
        for (int r = 0; r < 3; r++) System.arraycopy(table, tokens[r] * d, expected, r * d, d);
        check("embed", Arrays.copyOf(x.toHeapArray(), 3 * d), expected);

        // staging slot 1 of 2 (slot index at 0, row count at 1, rows after it); slot 0 must stay untouched
        IntArray pick = new IntArray(4);
        pick.set(0, 1);
        pick.set(1, 2);
        pick.set(2, 2);
        pick.set(3, 0);
        FloatArray out = new FloatArray(2 * 2 * d);
        TaskGraph g2 = new TaskGraph("gather")
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, pick, x, out)
                .task("t", Kernels::gatherRows, new KernelContext(), pick, 0, 1, x, out, d);
        run(g2, grid1(2, 8), out);
        float[] gathered = new float[4 * d];
        System.arraycopy(table, tokens[2] * d, gathered, 2 * d, d);
        System.arraycopy(table, tokens[0] * d, gathered, 3 * d, d);
        check("gather", out.toHeapArray(), gathered);

        pick.set(0, -1); // not captured: nothing written
        FloatArray untouched = new FloatArray(2 * 2 * d);
        TaskGraph g3 = new TaskGraph("gather_off")
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, pick, x, untouched)
                .task("t", Kernels::gatherRows, new KernelContext(), pick, 0, 1, x, untouched, d);
        run(g3, grid1(2, 8), untouched);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[4 * d], untouched.toHeapArray(), "gather with slot -1 wrote");
    }

    /** Head norm (when {@code qkNorm}) and RoPE of q and k, and the k/v store, against CpuKernels.headNorm/rope. */
    private void ropeStore(String model) {
        ModelConfig c = ConfigReader.read(TestData.goldenModel(model).resolve("model/config.json"));
        int rows = 3;
        int context = 16;
        int heads = c.numHeads();
        int kvHeads = c.numKvHeads();
        int hd = c.headDim();
        int qDim = c.qDim();
        int kvDim = c.kvDim();
        int width = qDim + 2 * kvDim;
        float[] qkv = random(rows * width);
        float[] qn = random(hd);
        float[] kn = random(hd);
        int firstPos = 9;
        // CPU reference on split q, k
        float[] q = new float[rows * qDim];
        float[] k = new float[rows * kvDim];
        float[] v = new float[rows * kvDim];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(qkv, r * width, q, r * qDim, qDim);
            System.arraycopy(qkv, r * width + qDim, k, r * kvDim, kvDim);
            System.arraycopy(qkv, r * width + qDim + kvDim, v, r * kvDim, kvDim);
        }
        if (c.qkNorm()) {
            CpuKernels.headNorm(q, rows, heads, hd, qn, c.rmsNormEps());
            CpuKernels.headNorm(k, rows, kvHeads, hd, kn, c.rmsNormEps());
        }
        int[] positions = {firstPos, firstPos + 1, firstPos + 2};
        RopeTable table = new RopeTable(c);
        CpuKernels.rope(q, rows, heads, hd, positions, table);
        CpuKernels.rope(k, rows, kvHeads, hd, positions, table);

        int half = hd / 2;
        FloatArray cos = new FloatArray(context * half);
        FloatArray sin = new FloatArray(context * half);
        for (int p = 0; p < context; p++) {
            for (int j = 0; j < half; j++) {
                cos.set(p * half + j, table.cos(p)[j]);
                sin.set(p * half + j, table.sin(p)[j]);
            }
        }
        IntArray m = meta(4, rows, firstPos).array();
        FloatArray dqkv = device(qkv);
        FloatArray dqn = device(qn);
        FloatArray dkn = device(kn);
        FloatArray keys = new FloatArray(2 * context * kvDim);
        FloatArray values = new FloatArray(2 * context * kvDim);
        TaskGraph g = new TaskGraph("rope_" + c.modelType())
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, m, dqkv, dqn, dkn, cos, sin, keys, values)
                .task("t", Kernels::ropeStore, new KernelContext(), m, StepMeta.ROWS, dqkv, dqn, dkn, cos, sin, keys, values,
                        heads, kvHeads, hd, c.qkNorm() ? 1 : 0, c.rmsNormEps(), context);
        run(g, grid2(heads + 2 * kvHeads, rows, 8), dqkv, keys, values);
        float[] got = dqkv.toHeapArray();
        float[] gotQ = new float[rows * qDim];
        float[] gotK = new float[rows * kvDim];
        float[] cachedK = new float[rows * kvDim];
        float[] cachedV = new float[rows * kvDim];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(got, r * width, gotQ, r * qDim, qDim);
            System.arraycopy(got, r * width + qDim, gotK, r * kvDim, kvDim);
            System.arraycopy(keys.toHeapArray(), (firstPos + r) * kvDim, cachedK, r * kvDim, kvDim);
            System.arraycopy(values.toHeapArray(), (firstPos + r) * kvDim, cachedV, r * kvDim, kvDim);
        }
        check(model + " rope q", gotQ, q);
        check(model + " rope k", gotK, k);
        check(model + " cached k", cachedK, k);
        check(model + " cached v", cachedV, v);
    }

    @Test
    void ropeStoreLlama() {
        ropeStore("llama-tiny-bf16");
    }

    @Test
    void ropeStoreWithHeadNorm() {
        ropeStore("qwen3-tiny-bf16");
    }

    /** Attention of rows of a forked sequence over a two-level chain, with and without a window. */
    private void attention(int window) {
        int heads = 4;
        int kvHeads = 2;
        int hd = 12;
        int context = 40;
        int kvDim = kvHeads * hd;
        int qDim = heads * hd;
        int width = qDim + 2 * kvDim;
        DeviceKvCache cache = new DeviceKvCache(3, context, context);
        int parent = cache.newSequence();
        for (int p = 0; p < 20; p++) cache.reserve(parent, p);
        int child = cache.fork(parent, 13);
        int[] positions = {13, 14, 15};
        for (int p : positions) cache.reserve(child, p);
        StepMeta meta = new StepMeta(4);
        meta.fill(new Step(new int[3], new int[]{child, child, child}, positions), cache);
        float[] keys = random(3 * context * kvDim);
        float[] values = random(3 * context * kvDim);
        float[] qkv = random(3 * width);
        float scale = (float) (1.0 / Math.sqrt(hd));
        float[] expected = new float[3 * qDim];
        for (int r = 0; r < 3; r++) {
            int pos = positions[r];
            int start = window > 0 ? Math.max(0, pos - window + 1) : 0;
            for (int h = 0; h < heads; h++) {
                int kvh = h / (heads / kvHeads);
                double[] s = new double[pos + 1];
                double max = Double.NEGATIVE_INFINITY;
                for (int t = start; t <= pos; t++) {
                    int slot = t >= 13 ? 1 : 0; // child's own slot from its prefix on, else the parent's
                    double dot = 0;
                    for (int j = 0; j < hd; j++) dot += qkv[r * width + h * hd + j] * keys[(slot * context + t) * kvDim + kvh * hd + j];
                    s[t] = dot * scale;
                    max = Math.max(max, s[t]);
                }
                double sum = 0;
                for (int t = start; t <= pos; t++) {
                    s[t] = Math.exp(s[t] - max);
                    sum += s[t];
                }
                for (int j = 0; j < hd; j++) {
                    double acc = 0;
                    for (int t = start; t <= pos; t++) {
                        int slot = t >= 13 ? 1 : 0;
                        acc += s[t] / sum * values[(slot * context + t) * kvDim + kvh * hd + j];
                    }
                    expected[r * qDim + h * hd + j] = (float) acc;
                }
            }
        }
        FloatArray dk = device(keys);
        FloatArray dv = device(values);
        FloatArray dq = device(qkv);
        FloatArray scores = new FloatArray(4 * heads * context);
        FloatArray out = new FloatArray(4 * qDim);
        IntArray m = meta.array();
        TaskGraph g = new TaskGraph("attn" + window)
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, m, dq, dk, dv, scores)
                .task("t", Kernels::attention, new KernelContext(), m, StepMeta.ROWS, dq, dk, dv, scores, out, heads, kvHeads, hd, window, scale, context);
        run(g, grid2(heads, 3, 8), out);
        check("attention window " + window, Arrays.copyOf(out.toHeapArray(), 3 * qDim), expected);
    }

    @Test
    void attentionOverForkedPrefix() {
        attention(0);
    }

    @Test
    void attentionWithSlidingWindow() {
        attention(5);
    }

    // ---- RAW16 weights: 16-bit patterns in a ShortArray, widened in the kernel with integer operations ----

    /** {@code a} rounded to BF16 ({@code dtype} BF16) or IEEE half (F16) bits. */
    static short[] bits16(float[] a, DType dtype) {
        short[] b = new short[a.length];
        for (int i = 0; i < a.length; i++) b[i] = dtype == DType.BF16 ? Tensor.floatToBf16(a[i]) : Float.floatToFloat16(a[i]);
        return b;
    }

    /** The checkpoint tensor the CPU backend would read for the same bits. */
    static Tensor tensor16(short[] b, DType dtype, int rows, int cols) {
        MemorySegment seg = Arena.ofAuto().allocate((long) b.length * Short.BYTES);
        MemorySegment.copy(b, 0, seg, Tensor.I16_LE, 0, b.length);
        return new Tensor("w", dtype, new long[]{rows, cols}, seg);
    }

    static int fp16(DType dtype) {
        return dtype == DType.F16 ? 1 : 0;
    }

    /** Every one of the 65536 patterns widened on the device, bit for bit against the JDK's conversion. */
    private void widenAllPatterns(DType dtype) {
        int d = 1 << 16;
        ShortArray table = new ShortArray(d);
        for (int i = 0; i < d; i++) table.set(i, (short) i);
        StepMeta m = new StepMeta(1);
        DeviceKvCache cache = new DeviceKvCache(1, 8, 8);
        cache.newSequence();
        m.fill(new Step(new int[]{0}, new int[1], new int[]{0}), cache);
        FloatArray x = new FloatArray(d);
        TaskGraph g = new TaskGraph("widen" + dtype)
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, m.array(), table)
                .task("t", Kernels::embedRaw16, new KernelContext(), m.array(), StepMeta.ROWS, table, x, d, fp16(dtype));
        run(g, grid1(1, 128), x);
        int wrong = 0;
        String first = "";
        for (int i = 0; i < d; i++) {
            float expected = dtype == DType.F16 ? Float.float16ToFloat((short) i) : Tensor.bf16ToFloat((short) i);
            float actual = x.get(i);
            boolean same = Float.isNaN(expected) ? Float.isNaN(actual) : Float.floatToRawIntBits(actual) == Float.floatToRawIntBits(expected);
            if (!same && wrong++ == 0) first = String.format("0x%04x: %s, expected %s", i, actual, expected);
        }
        assertTrue(wrong == 0, dtype + ": " + wrong + " of 65536 patterns widened wrongly, first " + first);
    }

    @Test
    void raw16WidensEveryBf16Pattern() {
        widenAllPatterns(DType.BF16);
    }

    @Test
    void raw16WidensEveryF16Pattern() {
        widenAllPatterns(DType.F16);
    }

    private void matmulRaw16(DType dtype, int rows, int inW, int outW, boolean bias, boolean accumulate) {
        float[] x = random(rows * inW);
        short[] w = bits16(random(outW * inW), dtype);
        float[] b = bias ? random(outW) : null;
        float[] start = random(rows * outW);
        float[] expected = new float[rows * outW];
        CpuKernels.linear(x, expected, rows, inW, outW, tensor16(w, dtype, outW, inW), b);
        if (accumulate) CpuKernels.add(expected, start, rows * outW);
        FloatArray dx = device(x);
        ShortArray dw = ShortArray.fromArray(w);
        FloatArray db = bias ? device(b) : new FloatArray(1);
        FloatArray out = accumulate ? device(start) : new FloatArray(rows * outW);
        IntArray m = meta(64, rows, 0).array();
        String name = "mm" + dtype + rows + "x" + inW + "x" + outW + (bias ? "b" : "") + (accumulate ? "a" : "");
        TaskGraph g = new TaskGraph(name)
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, m, dx, dw, db, out)
                .task("t", Kernels::matmulRaw16, new KernelContext(), m, StepMeta.ROWS, dx, dw, db, out, inW, outW, bias ? 1 : 0, accumulate ? 1 : 0, fp16(dtype));
        run(g, grid2(outW, (rows + Kernels.ROWS_PER_GROUP - 1) / Kernels.ROWS_PER_GROUP, 32), out);
        check(name, out.toHeapArray(), expected);
    }

    @Test
    void matmulRaw16Bf16() {
        matmulRaw16(DType.BF16, 7, 77, 45, true, false);
        matmulRaw16(DType.BF16, 9, 64, 20, false, true);
    }

    @Test
    void matmulRaw16F16() {
        matmulRaw16(DType.F16, 7, 77, 45, true, false);
        matmulRaw16(DType.F16, 1, 100, 33, false, true);
        matmulRaw16(DType.F16, 37, 64, 20, true, true);
    }

    private void gateUpRaw16(DType dtype) {
        int rows = 6;
        int inW = 50;
        int inter = 37;
        float[] x = random(rows * inW);
        short[] w = bits16(random(2 * inter * inW), dtype);
        float[] gate = new float[rows * inter];
        float[] up = new float[rows * inter];
        CpuKernels.linear(x, gate, rows, inW, inter, tensor16(Arrays.copyOfRange(w, 0, inter * inW), dtype, inter, inW), null);
        CpuKernels.linear(x, up, rows, inW, inter, tensor16(Arrays.copyOfRange(w, inter * inW, 2 * inter * inW), dtype, inter, inW), null);
        CpuKernels.swiGlu(gate, up, rows * inter);
        FloatArray dx = device(x);
        ShortArray dw = ShortArray.fromArray(w);
        FloatArray out = new FloatArray(rows * inter);
        IntArray m = meta(8, rows, 0).array();
        TaskGraph g = new TaskGraph("gateup" + dtype)
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, m, dx, dw)
                .task("t", Kernels::gateUpRaw16, new KernelContext(), m, StepMeta.ROWS, dx, dw, out, inW, inter, fp16(dtype));
        run(g, grid2(inter, 2, 16), out);
        check("gateUp " + dtype, out.toHeapArray(), gate);
    }

    @Test
    void gateUpRaw16() {
        gateUpRaw16(DType.BF16);
        gateUpRaw16(DType.F16);
    }

    private void lmHeadRaw16(DType dtype) {
        int rows = 5;
        int d = 40;
        int vocab = 71;
        int[] picked = {4, 0, 2, 3, 1};
        float[] x = random(rows * d);
        short[] w = bits16(random(vocab * d), dtype);
        float[] all = new float[rows * vocab];
        CpuKernels.linear(x, all, rows, d, vocab, tensor16(w, dtype, vocab, d), null);
        float[] expected = new float[picked.length * vocab];
        for (int i = 0; i < picked.length; i++) System.arraycopy(all, picked[i] * vocab, expected, i * vocab, vocab);
        IntArray pick = new IntArray(1 + picked.length);
        pick.set(0, picked.length);
        for (int i = 0; i < picked.length; i++) pick.set(1 + i, picked[i]);
        FloatArray dx = device(x);
        ShortArray dw = ShortArray.fromArray(w);
        FloatArray out = new FloatArray(picked.length * vocab);
        TaskGraph g = new TaskGraph("lmhead" + dtype)
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, pick, dx, dw)
                .task("t", Kernels::lmHeadRaw16, new KernelContext(), pick, 0, dx, dw, out, d, vocab, fp16(dtype));
        run(g, grid2(vocab, 2, 32), out);
        check("lmHead " + dtype, out.toHeapArray(), expected);
    }

    @Test
    void lmHeadRaw16() {
        lmHeadRaw16(DType.BF16);
        lmHeadRaw16(DType.F16);
    }

    @AfterAll
    static void report() {
        System.out.printf("KernelsTest: worst relative error %.3e at %s%n", worst, worstWhere);
    }
}
