package dev.srr.io;

import dev.srr.SrrException;
import dev.srr.tensor.GgmlType;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One memory-mapped GGUF file (llama.cpp's model format), versions 2 and 3, little-endian. Layout: magic
 * {@code GGUF}, version, tensor count and metadata count, the metadata key/value pairs, the tensor infos (name,
 * dimensions innermost first, ggml type, offset), padding to {@code general.alignment} (default 32), then the
 * tensor data. Specification: ggml's {@code docs/gguf.md}.
 *
 * <p>Everything is validated before a tensor is handed out, as for safetensors: every count and length against
 * the bytes left, no key or tensor name twice, at most 4 dimensions, element counts that fit a long and are whole
 * blocks of their type, offsets aligned, data inside the file and no two tensors overlapping. Every problem is a
 * {@link SrrException} naming the file and the key or tensor.
 */
public final class GgufFile implements AutoCloseable {
    /** {@code GGUF} read as a little-endian int. */
    private static final int MAGIC = 0x46554747;
    private static final int MAX_DIMS = 4;
    private static final long DEFAULT_ALIGNMENT = 32;

    private final Path path;
    private final Arena arena;
    private final int version;
    private final GgufMetadata metadata;
    private final Map<String, GgufTensor> tensors;

    private GgufFile(Path path, Arena arena, int version, GgufMetadata metadata, Map<String, GgufTensor> tensors) {
        this.path = path;
        this.arena = arena;
        this.version = version;
        this.metadata = metadata;
        this.tensors = tensors;
    }

    /** True when {@code path} is a regular file that starts with the GGUF magic. */
    public static boolean looksLikeGguf(Path path) {
        if (!java.nio.file.Files.isRegularFile(path)) return false;
        try (var in = java.nio.file.Files.newInputStream(path)) {
            byte[] head = in.readNBytes(4);
            return head.length == 4 && head[0] == 'G' && head[1] == 'G' && head[2] == 'U' && head[3] == 'F';
        } catch (IOException e) {
            return false;
        }
    }

    /** Maps and validates {@code path}; the mapping lives until {@link #close()}. */
    public static GgufFile open(Path path) {
        Arena arena = Arena.ofShared();
        try {
            return read(path, arena);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private static GgufFile read(Path path, Arena arena) {
        MemorySegment file;
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            file = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
        } catch (NoSuchFileException e) {
            throw new SrrException(path + ": file not found");
        } catch (IOException e) {
            throw new SrrException(path + ": cannot read: " + e.getMessage());
        }
        GgufCursor in = new GgufCursor(file, path);
        if (file.byteSize() < 4 || in.i32("the magic") != MAGIC) throw new SrrException(path + ": not a GGUF file (no GGUF magic)");
        int version = in.i32("the version");
        if (version != 2 && version != 3) {
            String hint = Integer.reverseBytes(version) == 2 || Integer.reverseBytes(version) == 3
                    ? " (a big-endian file; srr reads little-endian GGUF)" : version == 1 ? " (GGUF v1 is obsolete; convert the model again)" : "";
            throw new SrrException(path + ": unsupported GGUF version " + version + hint);
        }
        long tensorCount = in.count("the tensor count", 8 + 4 + 8 + 4 + 8);
        long kvCount = in.count("the metadata count", 8 + 4 + 1);
        Map<String, Object> kv = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) {
            String key = in.string("metadata key #" + i);
            if (kv.containsKey(key)) throw new SrrException(path + ": metadata key '" + key + "' appears twice");
            kv.put(key, in.value(in.u32("the type of '" + key + "'"), key));
        }
        GgufMetadata metadata = new GgufMetadata(path, kv);
        long alignment = metadata.optLong("general.alignment", DEFAULT_ALIGNMENT);
        if (alignment <= 0 || Long.bitCount(alignment) != 1 || alignment > (1 << 20)) {
            throw new SrrException(path + ": metadata 'general.alignment' must be a power of two up to 1 MiB, got " + alignment);
        }

        record Info(String name, GgmlType type, long[] shape, long offset, long bytes) {
        }
        List<Info> infos = new ArrayList<>();
        Map<String, Boolean> seen = new LinkedHashMap<>();
        for (long i = 0; i < tensorCount; i++) {
            String name = in.string("the name of tensor #" + i);
            String where = path + ": tensor '" + name + "'";
            if (seen.put(name, true) != null) throw new SrrException(where + " appears twice");
            long dims = in.u32(where + " dimension count");
            if (dims < 1 || dims > MAX_DIMS) throw new SrrException(where + ": " + dims + " dimensions (GGUF allows 1 to " + MAX_DIMS + ")");
            long[] shape = new long[(int) dims];
            long elements = 1;
            for (int d = 0; d < dims; d++) {
                long n = in.i64(where + " dimension " + d);
                if (n <= 0) throw new SrrException(where + ": dimension " + d + " is " + Long.toUnsignedString(n) + " (must be positive)");
                try {
                    elements = Math.multiplyExact(elements, n);
                } catch (ArithmeticException e) {
                    throw new SrrException(where + ": element count overflows (dimensions too large)");
                }
                shape[shape.length - 1 - d] = n;
            }
            GgmlType type = GgmlType.ofId(in.u32(where + " type"), where);
            if (shape[shape.length - 1] % type.blockSize != 0) {
                throw new SrrException(where + ": rows of " + shape[shape.length - 1] + " values are not whole " + type
                        + " blocks of " + type.blockSize);
            }
            long bytes;
            try {
                bytes = type.bytesFor(elements, where);
            } catch (ArithmeticException e) {
                throw new SrrException(where + ": byte size overflows");
            }
            long offset = in.i64(where + " offset");
            if (offset < 0 || offset % alignment != 0) {
                throw new SrrException(where + ": data offset " + Long.toUnsignedString(offset) + " is not a multiple of the alignment " + alignment);
            }
            infos.add(new Info(name, type, shape, offset, bytes));
        }
        long dataStart = (in.position() + alignment - 1) / alignment * alignment;
        long dataSize = file.byteSize() - dataStart;
        if (dataSize < 0 && !infos.isEmpty()) throw new SrrException(path + ": truncated GGUF file (no tensor data after the header)");

        Map<String, GgufTensor> tensors = new LinkedHashMap<>();
        for (Info t : infos) {
            if (t.offset > dataSize || t.bytes > dataSize - t.offset) {
                throw new SrrException(path + ": tensor '" + t.name + "' data [" + t.offset + ", " + (t.offset + t.bytes)
                        + ") lies outside the file's " + Math.max(0, dataSize) + " data bytes (truncated file or corrupt header)");
            }
            tensors.put(t.name, new GgufTensor(t.name, t.type, t.shape, file.asSlice(dataStart + t.offset, t.bytes)));
        }
        List<Info> byOffset = new ArrayList<>(infos);
        byOffset.sort(Comparator.comparingLong(Info::offset));
        for (int i = 1; i < byOffset.size(); i++) {
            Info prev = byOffset.get(i - 1);
            Info cur = byOffset.get(i);
            if (cur.offset < prev.offset + prev.bytes && cur.bytes > 0) {
                throw new SrrException(path + ": tensors '" + prev.name + "' and '" + cur.name + "' overlap in the data section");
            }
        }
        return new GgufFile(path, arena, version, metadata, Collections.unmodifiableMap(tensors));
    }

    public Path path() {
        return path;
    }

    /** The GGUF version (2 or 3). */
    public int version() {
        return version;
    }

    public GgufMetadata metadata() {
        return metadata;
    }

    /** Tensors by name, in file order. */
    public Map<String, GgufTensor> tensors() {
        return tensors;
    }

    @Override
    public void close() {
        arena.close();
    }
}
