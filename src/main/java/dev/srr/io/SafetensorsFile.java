package dev.srr.io;

import com.fasterxml.jackson.databind.JsonNode;
import dev.srr.SrrException;
import dev.srr.tensor.DType;
import dev.srr.tensor.Tensor;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One memory-mapped safetensors file. The header is validated completely before any tensor is handed out, with
 * the rules of the reference implementation: UTF-8 JSON starting with '{', no key named twice, every offset inside
 * the file, sizes equal to shape x dtype (without overflow), the data section covered exactly once (no overlaps,
 * no bytes that belong to no tensor), {@code __metadata__} a map of strings. Any violation is an
 * {@link SrrException} naming the file and, where there is one, the tensor.
 */
public final class SafetensorsFile implements AutoCloseable {
    private static final long MAX_HEADER = 100L << 20;

    private final Path path;
    private final Arena arena;
    private final Map<String, Tensor> tensors;
    private final Map<String, String> metadata;

    private SafetensorsFile(Path path, Arena arena, Map<String, Tensor> tensors, Map<String, String> metadata) {
        this.path = path;
        this.arena = arena;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    /** Maps {@code path} with a shared arena that lives until {@link #close()}. */
    public static SafetensorsFile open(Path path) {
        Arena arena = Arena.ofShared();
        try {
            return open(path, arena);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private static SafetensorsFile open(Path path, Arena arena) {
        InputFiles.requireRegularFile(path, "a safetensors file");
        MemorySegment file;
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) throw new SrrException(path + ": truncated safetensors file (" + size + " bytes, no header)");
            file = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
        } catch (NoSuchFileException e) {
            throw new SrrException(path + ": file not found");
        } catch (IOException e) {
            throw new SrrException(path + ": cannot read: " + e.getMessage());
        }
        long headerLen = file.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
        if (headerLen <= 0 || headerLen > MAX_HEADER) {
            throw new SrrException(path + ": not a safetensors file (header length " + headerLen + ")");
        }
        if (8 + headerLen > file.byteSize()) {
            throw new SrrException(path + ": truncated safetensors file (header of " + headerLen
                    + " bytes, file has " + file.byteSize() + ")");
        }
        JsonNode header = Json.parseStrict(headerText(path, file.asSlice(8, headerLen)), path + " header");
        if (!header.isObject()) throw new SrrException(path + ": safetensors header is not a JSON object");

        long dataStart = 8 + headerLen;
        long dataSize = file.byteSize() - dataStart;
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Extent> extents = new ArrayList<>();
        for (var it = header.fields(); it.hasNext(); ) {
            var entry = it.next();
            String name = entry.getKey();
            JsonNode info = entry.getValue();
            if (name.equals("__metadata__")) {
                readMetadata(path, info, metadata);
                continue;
            }
            String where = path + ": tensor '" + name + "'";
            if (!info.isObject()) throw new SrrException(where + ": header entry is not an object");
            JsonNode dtypeNode = info.get("dtype");
            if (dtypeNode == null || !dtypeNode.isTextual()) throw new SrrException(where + ": missing or non-text 'dtype'");
            DType dtype = DType.fromSafetensors(dtypeNode.asText(), where);
            long[] shape = longArray(info.get("shape"), where, "shape");
            long[] offsets = longArray(info.get("data_offsets"), where, "data_offsets");
            if (offsets.length != 2) throw new SrrException(where + ": 'data_offsets' must have two entries");
            long begin = offsets[0];
            long end = offsets[1];
            if (end < begin || end > dataSize) {
                throw new SrrException(where + ": data_offsets [" + begin + ", " + end + "] outside the file's "
                        + dataSize + " data bytes (truncated file or corrupt header)");
            }
            long expected = byteCount(shape, dtype, where);
            if (end - begin != expected) {
                throw new SrrException(where + ": holds " + (end - begin) + " bytes but shape " + Arrays.toString(shape)
                        + " x " + dtype + " needs " + expected);
            }
            extents.add(new Extent(name, begin, end));
            tensors.put(name, new Tensor(name, dtype, shape, file.asSlice(dataStart + begin, end - begin)));
        }
        checkLayout(path, extents, dataSize);
        return new SafetensorsFile(path, arena, Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(metadata));
    }

    /** Where one tensor's bytes lie in the data section. */
    private record Extent(String name, long begin, long end) {
    }

    /**
     * The header as text: valid UTF-8 (a replacement character would silently rename a tensor) starting with
     * '{', as the format requires.
     */
    private static String headerText(Path path, MemorySegment bytes) {
        CharBuffer text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes.asByteBuffer());
        } catch (CharacterCodingException e) {
            throw new SrrException(path + ": safetensors header is not valid UTF-8");
        }
        if (text.isEmpty() || text.charAt(0) != '{') {
            throw new SrrException(path + ": not a safetensors file (the header does not start with '{')");
        }
        return text.toString();
    }

    /** {@code __metadata__} is a map of strings to strings, as the format defines it. */
    private static void readMetadata(Path path, JsonNode info, Map<String, String> metadata) {
        if (!info.isObject()) throw new SrrException(path + ": '__metadata__' must be an object of strings");
        for (var it = info.fields(); it.hasNext(); ) {
            var m = it.next();
            if (!m.getValue().isTextual()) {
                throw new SrrException(path + ": '__metadata__' entry '" + m.getKey() + "' must be a string");
            }
            metadata.put(m.getKey(), m.getValue().asText());
        }
    }

    /** Bytes a tensor of {@code shape} and {@code dtype} needs; a count beyond what a file can hold is an error. */
    private static long byteCount(long[] shape, DType dtype, String where) {
        long bytes = dtype.bytes;
        for (long d : shape) {
            if (d < 0) throw new SrrException(where + ": negative dimension in shape " + Arrays.toString(shape));
            if (d != 0 && bytes > Long.MAX_VALUE / d) {
                for (long z : shape) if (z == 0) return 0; // an empty tensor, however large its other dimensions
                throw new SrrException(where + ": shape " + Arrays.toString(shape) + " x " + dtype
                        + " is too large for its data (more bytes than any file holds)");
            }
            bytes *= d;
        }
        return bytes;
    }

    /**
     * The data section must be covered exactly, as the reference implementation requires: no two tensors share
     * bytes, and no bytes (between tensors or after the last one) belong to no tensor.
     */
    private static void checkLayout(Path path, List<Extent> extents, long dataSize) {
        List<Extent> sorted = new ArrayList<>(extents);
        sorted.sort(Comparator.comparingLong(Extent::begin).thenComparingLong(Extent::end));
        for (int i = 1; i < sorted.size(); i++) {
            Extent prev = sorted.get(i - 1);
            Extent cur = sorted.get(i);
            if (cur.begin() < prev.end() && cur.end() > cur.begin()) {
                throw new SrrException(path + ": tensors '" + prev.name() + "' and '" + cur.name()
                        + "' overlap in the data section");
            }
        }
        long covered = 0;
        for (Extent e : sorted) {
            if (e.begin() > covered) {
                throw new SrrException(path + ": data bytes [" + covered + ", " + e.begin()
                        + ") belong to no tensor (the next is '" + e.name() + "'); corrupt header");
            }
            covered = Math.max(covered, e.end());
        }
        if (covered < dataSize) {
            throw new SrrException(path + ": the last " + (dataSize - covered) + " data bytes belong to no tensor"
                    + " (corrupt header, or data appended to the file)");
        }
    }

    private static long[] longArray(JsonNode node, String where, String field) {
        if (node == null || !node.isArray()) throw new SrrException(where + ": missing or non-array '" + field + "'");
        long[] out = new long[node.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = node.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
                throw new SrrException(where + ": '" + field + "' must hold non-negative integers, got " + JsonFields.describe(v));
            }
            out[i] = v.asLong();
        }
        return out;
    }

    public Path path() {
        return path;
    }

    public Map<String, Tensor> tensors() {
        return tensors;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    /** The tensor named {@code name}; a missing one is a user error naming the file. */
    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) throw new SrrException(path + ": tensor '" + name + "' not found");
        return t;
    }

    @Override
    public void close() {
        arena.close();
    }
}
