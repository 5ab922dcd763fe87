package dev.srr.compute;

import dev.srr.tensor.DType;
import dev.srr.tensor.Tensor;

import java.lang.foreign.MemorySegment;

/**
 * {@link MatMul}'s rows for block-quantized and F16 weights ({@link #decodes}), computed from the mapped memory with
 * float32 activations ({@link Packing#NATURAL}) and float32 sums; nothing is rounded to 8 bits.
 *
 * <ul>
 *   <li>One token (decode) of a block type: {@link BlockDot} decodes two rows' blocks in registers and
 *       multiply-adds them.</li>
 *   <li>F16, and more tokens (a batch of candidates, a prompt): a tile of rows is decoded once into a float32 scratch
 *       ({@link BlockDecode}) and every token of the step runs against it ({@link ScratchKernels}) while it is in
 *       cache; 4 rows for up to {@link #SMALL_STEP} tokens, {@link #LARGE_TILE} for more. From
 *       {@link MatMul#GEMM_MIN_TOKENS} tokens on, prompts run on {@link PanelGemm} instead, with panels from
 *       {@link WeightPanels}.</li>
 * </ul>
 *
 * <p>Both paths use the values of {@link dev.srr.tensor.Dequantizer} and sum each (row, token) pair in the order of
 * {@link F32Kernels}, so results are the bits of the F32 kernels over the dequantized matrix, run after run.
 */
final class QuantMatMul {
    /** Up to this many tokens decode 4-row tiles: the scratch stays in L1. */
    static final int SMALL_STEP = 8;
    /** Rows decoded per tile for more tokens (up to the GEMM's threshold): four 4-row tiles share each 4-token activation tile. */
    static final int LARGE_TILE = 16;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** A thread's decoded rows and tile sums. */
    private static final class Scratch {
        float[] values = new float[0];
        final float[] sums = new float[16];

        float[] values(int n) {
            if (values.length < n) values = new float[n];
            return values;
        }
    }

    private QuantMatMul() {
    }

    /**
     * Whether weights of {@code dtype} run here: block types, and F16, which the Vector API cannot widen in
     * fewer than nine lane operations per vector while C2 compiles a plain {@link Float#float16ToFloat} loop to
     * the CPU's half-to-float conversion ({@link BlockDecode}); decoding F16 rows to a scratch tile this way
     * made SmolLM2 F16 decode ~3x faster than widening in registers.
     */
    static boolean decodes(DType dtype) {
        return dtype.isBlock() || dtype == DType.F16;
    }

    /**
     * Output rows [o0, o1) of {@code target} for tokens [0, tokens), on the calling thread.
     *
     * @param x   activations, token {@code t} at {@code x[t * inW ..]}, natural order
     * @param inW the weight's row width, a whole number of its dtype's blocks
     */
    static void rows(float[] x, int tokens, int inW, MatMul.Target target, int o0, int o1) {
        Tensor w = target.weight();
        DType dt = w.dtype();
        MemorySegment seg = plain(w.data());
        long rowBytes = dt.rowBytes(inW);
        Scratch s = SCRATCH.get();
        float[] sums = s.sums;
        int o = o0;
        if (tokens == 1 && BlockDot.SUPPORTED && dt.isBlock()) {
            for (; o + 2 <= o1; o += 2) {
                Touch.ahead(seg, rowBytes, o0, o1, o, 2);
                BlockDot.dot2(dt, seg, o * rowBytes, rowBytes, x, 0, inW, sums);
                MatMul.store(target, 0, o, sums[0]);
                MatMul.store(target, 0, o + 1, sums[1]);
            }
        }
        int tile = tokens <= SMALL_STEP ? 4 : LARGE_TILE;
        float[] rowsF = s.values(tile * inW);
        int first = o;
        for (; o < o1; o += tile) {
            int rows = Math.min(tile, o1 - o);
            Touch.ahead(seg, rowBytes, first, o1, o, tile);
            for (int r = 0; r < rows; r++) BlockDecode.decode(dt, seg, (o + r) * rowBytes, inW, rowsF, r * inW);
            int t = 0;
            for (; t + 4 <= tokens; t += 4) {
                int r = 0;
                for (; r + 4 <= rows; r += 4) {
                    ScratchKernels.tile4x4(rowsF, r * inW, inW, x, t * inW, inW, inW, sums);
                    for (int k = 0; k < 4; k++) for (int j = 0; j < 4; j++) MatMul.store(target, t + k, o + r + j, sums[k * 4 + j]);
                }
                for (; r < rows; r++) {
                    for (int k = 0; k < 4; k++) MatMul.store(target, t + k, o + r, ScratchKernels.dot(rowsF, r * inW, x, (t + k) * inW, inW));
                }
            }
            for (; t < tokens; t++) {
                for (int r = 0; r < rows; r++) MatMul.store(target, t, o + r, ScratchKernels.dot(rowsF, r * inW, x, t * inW, inW));
            }
        }
    }

    /**
     * Rows [o0, o1) of {@code gate.out = silu(x w_gate) * (x w_up)} for all tokens, either weight block-quantized
     * (each dispatches to its own kernels; both must take the same activation layout); {@code up.out} is scratch.
     */
    static void gateUp(float[] x, int tokens, int inW, MatMul.Target gate, MatMul.Target up, int o0, int o1) {
        MatMul.rows(x, tokens, inW, gate, o0, o1);
        MatMul.rows(x, tokens, inW, up, o0, o1);
        for (int t = 0; t < tokens; t++) {
            CpuKernels.swiGlu(gate.out(), t * gate.stride() + o0, up.out(), t * up.stride() + o0, o1 - o0);
        }
    }

    /**
     * The weight's memory as a plain native segment of the same bounds. Mapped (in-place) and arena-allocated
     * (row-permuted) weights otherwise reach the kernels as two segment classes, and the type checks C2 then
     * inlines at every access push the kernels past its node budget. The view has global scope: it must not
     * outlive the call (the weights stay open while the backend runs).
     */
    private static MemorySegment plain(MemorySegment s) {
        return s.isNative() ? MemorySegment.ofAddress(s.address()).reinterpret(s.byteSize()) : s;
    }

    /**
     * Weight rows [o0, o0 + rows) at columns [k0, k0 + kLen) as float32, k-major: {@code panel[(k - k0) * rows
     * + (o - o0)]} (the panel layout of a GEMM that streams k). Values are those of
     * {@link dev.srr.tensor.Dequantizer}.
     *
     * @param w     a [out, in] block-quantized weight
     * @param k0    a multiple of 256 (so of every block size)
     * @param kLen  at most 256, a multiple of 32 and of the dtype's block size, with {@code k0 + kLen <= in}
     * @param panel at least {@code kLen * rows} floats
     * @throws IllegalArgumentException when the column range is not block-aligned or leaves the matrix
     */
    static void unpack(Tensor w, int o0, int rows, int k0, int kLen, float[] panel) {
        DType dt = w.dtype();
        int in = w.dim(1);
        if (k0 % 256 != 0 || kLen > 256 || kLen % 32 != 0 || kLen % dt.blockSize != 0 || k0 + kLen > in || kLen < 0
                || o0 < 0 || o0 + rows > w.dim(0)) {
            throw new IllegalArgumentException(w.name() + " " + w.shapeString() + ": cannot unpack rows [" + o0 + ", "
                    + (o0 + rows) + ") columns [" + k0 + ", " + (k0 + kLen) + ")");
        }
        float[] row = SCRATCH.get().values(256);
        long rowBytes = dt.rowBytes(in);
        for (int r = 0; r < rows; r++) {
            int o = o0 + r;
            BlockDecode.decode(dt, w.data(), o * rowBytes + dt.rowBytes(k0), kLen, row, 0);
            for (int k = 0; k < kLen; k++) panel[k * rows + r] = row[k];
        }
    }
}
