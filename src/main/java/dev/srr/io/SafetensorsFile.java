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
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
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
 * One memory-mapped safetensors file. The header is validated completely before any tensor is handed out:
 * every offset inside the file, sizes equal to shape x dtype, no two tensors overlapping.
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
        byte[] headerBytes = file.asSlice(8, headerLen).toArray(ValueLayout.JAVA_BYTE);
        JsonNode header = Json.parse(new String(headerBytes, StandardCharsets.UTF_8), path + " header");
        if (!header.isObject()) throw new SrrException(path + ": safetensors header is not a JSON object");

        long dataStart = 8 + headerLen;
        long dataSize = file.byteSize() - dataStart;
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        List<long[]> ranges = new ArrayList<>();
        List<String> rangeNames = new ArrayList<>();
        for (var it = header.fields(); it.hasNext(); ) {
            var entry = it.next();
            String name = entry.getKey();
            JsonNode info = entry.getValue();
            if (name.equals("__metadata__")) {
                if (info.isObject()) info.fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
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
            if (begin < 0 || end < begin || end > dataSize) {
                throw new SrrException(where + ": data_offsets [" + begin + ", " + end + "] outside the file's "
                        + dataSize + " data bytes (truncated file or corrupt header)");
            }
            long elements = 1;
            for (long d : shape) {
                if (d < 0) throw new SrrException(where + ": negative dimension in shape");
                elements = Math.multiplyExact(elements, d);
            }
            long expected = Math.multiplyExact(elements, (long) dtype.bytes);
            if (end - begin != expected) {
                throw new SrrException(where + ": holds " + (end - begin) + " bytes but shape " + java.util.Arrays.toString(shape)
                        + " x " + dtype + " needs " + expected);
            }
            ranges.add(new long[]{begin, end, ranges.size()});
            rangeNames.add(name);
            tensors.put(name, new Tensor(name, dtype, shape, file.asSlice(dataStart + begin, end - begin)));
        }
        ranges.sort(Comparator.comparingLong(r -> r[0]));
        for (int i = 1; i < ranges.size(); i++) {
            long[] prev = ranges.get(i - 1);
            long[] cur = ranges.get(i);
            if (cur[0] < prev[1] && cur[1] > cur[0]) {
                throw new SrrException(path + ": tensors '" + rangeNames.get((int) prev[2]) + "' and '"
                        + rangeNames.get((int) cur[2]) + "' overlap in the data section");
            }
        }
        return new SafetensorsFile(path, arena, Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(metadata));
    }

    private static long[] longArray(JsonNode node, String where, String field) {
        if (node == null || !node.isArray()) throw new SrrException(where + ": missing or non-array '" + field + "'");
        long[] out = new long[node.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = node.get(i);
            if (!v.isIntegralNumber()) throw new SrrException(where + ": '" + field + "' must hold integers");
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
