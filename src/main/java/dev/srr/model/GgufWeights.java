package dev.srr.model;

import dev.srr.SrrException;
import dev.srr.io.GgufFile;
import dev.srr.io.GgufTensor;
import dev.srr.tensor.DType;
import dev.srr.tensor.Dequantizer;
import dev.srr.tensor.GgmlType;
import dev.srr.tensor.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The weights of a GGUF file under their Hugging Face names, ready for the layer plan.
 *
 * <ul>
 *   <li>F32, F16 and BF16 tensors are used in place from the mapped file.</li>
 *   <li>By default ({@code -Dsrr.gguf.dtype=inplace}) the block-quantized matrices of types the CPU kernels
 *       read (Q8_0, Q4_0, Q4_1, Q4_K, Q6_K: {@link DType#isBlock()}) are used in place too, as their blocks; the
 *       other block types (Q5_0, Q5_1, Q2_K, Q3_K, Q5_K) and quantized vectors are dequantized at load to float32,
 *       or to bfloat16 when float32 copies would take more than a quarter of the machine's memory. Layers may then
 *       mix dtypes (llama.cpp mixes Q4_K and Q6_K within a layer).</li>
 *   <li>{@code -Dsrr.gguf.dtype=f32|bf16|f16} dequantizes every block-quantized tensor at load into off-heap
 *       memory of that dtype, {@code auto} to float32 or bfloat16 by the same memory rule; a layer with any
 *       quantized matrix then has all its matrices converted, so it computes in one dtype. This is the reference
 *       the in-place kernels are tested against.</li>
 *   <li>For the {@code llama} and {@code mistral} architectures, llama.cpp's converter reorders the rows of
 *       {@code q_proj} and {@code k_proj} within each head (pairs interleaved for its rotary kernel); the rows are
 *       put back in Hugging Face order here (whole rows of blocks for a quantized matrix), so hidden states and
 *       every later computation keep transformers' semantics. The reordering: GGUF row {@code h*d + 2b + a} is
 *       Hugging Face row {@code h*d + a*d/2 + b} (head {@code h}, head width {@code d}, {@code a} in {0, 1},
 *       {@code b < d/2}); llama.cpp's {@code convert_hf_to_gguf.py}, {@code LlamaModel.permute}.</li>
 * </ul>
 */
public final class GgufWeights {
    /** Property choosing whether quantized tensors stay in place ({@code inplace}) or the dtype they are expanded to. */
    public static final String DTYPE_PROPERTY = "srr.gguf.dtype";
    /** The property's value (and default) keeping quantized tensors in place. */
    public static final String IN_PLACE = "inplace";
    private static final int ROWS_PER_TASK = 64;

    private GgufWeights() {
    }

    /**
     * The dtype {@code file}'s quantized tensors are expanded to, or null to keep them in place (the default,
     * {@code -Dsrr.gguf.dtype=inplace}): {@code -Dsrr.gguf.dtype} f32, bf16, f16, or auto (float32 when the
     * expanded tensors take at most a quarter of physical memory, else bfloat16).
     *
     * @throws SrrException for an unknown value, or when even the chosen dtype needs more than the machine's memory
     */
    public static DType targetDType(GgufFile file) {
        String v = System.getProperty(DTYPE_PROPERTY, IN_PLACE);
        if (v.equals(IN_PLACE)) return null;
        long values = 0;
        for (GgufTensor t : file.tensors().values()) if (!t.type().isFloat()) values += t.size();
        if (v.equals("auto")) return expansion(file, values);
        DType dtype;
        try {
            dtype = DType.parse(v);
        } catch (SrrException e) {
            throw new SrrException("-D" + DTYPE_PROPERTY + "=" + v + ": use " + IN_PLACE + ", auto, f32, bf16 or f16");
        }
        checkMemory(file, values, dtype);
        return dtype;
    }

    /** Float32 when {@code values} float32 values take at most a quarter of physical memory, else bfloat16. */
    private static DType expansion(GgufFile file, long values) {
        DType dtype = values * 4 <= physicalMemory() / 4 ? DType.F32 : DType.BF16;
        checkMemory(file, values, dtype);
        return dtype;
    }

    private static void checkMemory(GgufFile file, long values, DType dtype) {
        long memory = physicalMemory();
        if (memory > 0 && values * dtype.bytes > memory) {
            throw new SrrException(file.path() + ": dequantizing to " + dtype.name().toLowerCase(java.util.Locale.ROOT) + " needs "
                    + gib(values * dtype.bytes) + " GiB, more than this machine's " + gib(memory) + " GiB"
                    + (dtype == DType.F32 ? " (try -D" + DTYPE_PROPERTY + "=bf16)" : ""));
        }
    }

    private static String gib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f", bytes / (double) (1L << 30));
    }

    /** Physical memory in bytes, or 0 when the platform does not say. */
    private static long physicalMemory() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return 0;
    }

    /**
     * Maps every tensor {@code config} needs, checking names, shapes and types against the file first.
     *
     * @param target the dtype every quantized tensor is expanded to, or null to keep the types the kernels read in
     *               place ({@link #targetDType})
     * @throws SrrException naming the GGUF tensor when it is missing, misshapen or of a type srr cannot read
     */
    public static Weights load(GgufFile file, ModelConfig config, DType target) {
        boolean permute = config.modelType().equals("llama") || config.modelType().equals("mistral");
        List<Entry> entries = new ArrayList<>();
        entries.add(entry(file, "token_embd.weight", ModelWeights.EMBED, new long[]{config.vocabSize(), config.hiddenSize()}, 0));
        entries.add(entry(file, "output_norm.weight", ModelWeights.FINAL_NORM, new long[]{config.hiddenSize()}, 0));
        if (!config.tiedEmbeddings()) {
            entries.add(entry(file, "output.weight", ModelWeights.LM_HEAD, new long[]{config.vocabSize(), config.hiddenSize()}, 0));
        }
        for (int i = 0; i < config.numLayers(); i++) {
            List<Entry> layer = new ArrayList<>();
            for (LayerTensor t : LayerTensor.values()) {
                if (!t.presentIn(config)) continue;
                int heads = !permute ? 0 : t == LayerTensor.Q_PROJ || t == LayerTensor.Q_BIAS ? config.numHeads()
                        : t == LayerTensor.K_PROJ || t == LayerTensor.K_BIAS ? config.numKvHeads() : 0;
                layer.add(entry(file, t.ggufName(i), t.name(i), t.shape(config), heads));
            }
            boolean quantized = layer.stream().anyMatch(e -> !e.stored.type().isFloat());
            for (Entry e : layer) entries.add(target != null && quantized && e.shape.length == 2 ? e.convert() : e);
        }
        boolean inPlace = target == null;
        DType expand = target;
        if (inPlace) {
            long values = 0;
            for (Entry e : entries) if (!e.inPlace(true)) values += e.stored.size();
            expand = expansion(file, values);
        }

        Arena arena = Arena.ofShared();
        try {
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            Map<String, java.nio.file.Path> origin = new LinkedHashMap<>();
            for (Entry e : entries) {
                tensors.put(e.hfName, e.materialize(arena, inPlace, expand, config.headDim()));
                origin.put(e.hfName, file.path());
            }
            return new Weights(file.path(), List.of(arena, file), tensors, origin);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private static Entry entry(GgufFile file, String ggufName, String hfName, long[] shape, int permuteHeads) {
        GgufTensor t = file.tensors().get(ggufName);
        String where = file.path() + ": tensor '" + ggufName + "'";
        if (t == null) throw new SrrException(where + " is missing from the checkpoint");
        if (!Arrays.equals(t.shape(), shape)) {
            throw new SrrException(where + " has shape " + Arrays.toString(t.shape()) + ", expected " + Arrays.toString(shape)
                    + " (as " + hfName + ")");
        }
        if (!t.type().isFloat() && !Dequantizer.handles(t.type())) {
            throw new SrrException(where + " has type " + t.type() + ", which srr does not read (it reads F32, F16, BF16, "
                    + "Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K)");
        }
        return new Entry(t, hfName, shape, permuteHeads, false);
    }

    /** One tensor to map: in place, or copied (dequantized, converted and/or with rows reordered). */
    private record Entry(GgufTensor stored, String hfName, long[] shape, int permuteHeads, boolean forceConvert) {
        Entry convert() {
            return new Entry(stored, hfName, shape, permuteHeads, true);
        }

        /** Whether the stored type is computed from as is: a float type, or (in place) a block matrix the kernels read. */
        boolean inPlace(boolean blocksInPlace) {
            DType own = DType.ofGgml(stored.type());
            if (forceConvert || own == null) return false;
            return !own.isBlock() || blocksInPlace && shape.length == 2;
        }

        Tensor materialize(Arena arena, boolean blocksInPlace, DType expand, int headDim) {
            GgmlType type = stored.type();
            boolean keep = inPlace(blocksInPlace);
            if (keep && permuteHeads == 0) {
                return new Tensor(hfName, DType.ofGgml(type), shape, stored.data());
            }
            DType out = keep ? DType.ofGgml(type) : expand;
            // a vector whose elements are reordered (a q/k bias) is handled as a column of one-value rows
            boolean column = shape.length == 1 && permuteHeads > 0;
            int rows = shape.length == 2 || column ? Math.toIntExact(shape[0]) : 1;
            int cols = shape.length == 2 ? Math.toIntExact(shape[1]) : column ? 1 : Math.toIntExact(shape[0]);
            long rowBytes = (long) cols / type.blockSize * type.blockBytes;
            long outRowBytes = keep ? rowBytes : (long) cols * out.bytes;
            MemorySegment dst = arena.allocate(rows * outRowBytes, 64);
            int tasks = (rows + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
            IntStream.range(0, tasks).parallel().forEach(task -> {
                byte[] src = new byte[Math.toIntExact(rowBytes)];
                float[] values = new float[cols];
                for (int r = task * ROWS_PER_TASK; r < Math.min(rows, (task + 1) * ROWS_PER_TASK); r++) {
                    int from = permuteHeads == 0 ? r : ggufRow(r, headDim);
                    MemorySegment.copy(stored.data(), ValueLayout.JAVA_BYTE, from * rowBytes, src, 0, src.length);
                    if (keep) {
                        MemorySegment.copy(src, 0, dst, ValueLayout.JAVA_BYTE, r * rowBytes, src.length);
                        continue;
                    }
                    decode(type, src, values);
                    store(out, values, dst, (long) r * cols);
                }
            });
            return new Tensor(hfName, out, shape, dst);
        }
    }

    /** The GGUF row holding Hugging Face row {@code hfRow} of a q or k projection with heads {@code headDim} wide. */
    static int ggufRow(int hfRow, int headDim) {
        int head = hfRow / headDim;
        int within = hfRow % headDim;
        int half = headDim / 2;
        int a = within / half;
        int b = within % half;
        return head * headDim + 2 * b + a;
    }

    private static void decode(GgmlType type, byte[] src, float[] values) {
        switch (type) {
            case F32 -> java.nio.ByteBuffer.wrap(src).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
            case F16 -> {
                for (int i = 0; i < values.length; i++) values[i] = Float.float16ToFloat((short) ((src[2 * i] & 0xFF) | src[2 * i + 1] << 8));
            }
            case BF16 -> {
                for (int i = 0; i < values.length; i++) values[i] = Float.intBitsToFloat(((src[2 * i] & 0xFF) | src[2 * i + 1] << 8) << 16);
            }
            default -> Dequantizer.dequantize(type, src, 0, values, 0, values.length);
        }
    }

    private static void store(DType out, float[] values, MemorySegment dst, long firstElement) {
        switch (out) {
            case F32 -> MemorySegment.copy(values, 0, dst, Tensor.F32_LE, firstElement * 4, values.length);
            case BF16 -> {
                for (int i = 0; i < values.length; i++) dst.set(Tensor.I16_LE, (firstElement + i) * 2, Tensor.floatToBf16(values[i]));
            }
            case F16 -> {
                for (int i = 0; i < values.length; i++) dst.set(Tensor.I16_LE, (firstElement + i) * 2, Float.floatToFloat16(values[i]));
            }
            default -> throw new IllegalArgumentException("expanding to " + out);
        }
    }
}
