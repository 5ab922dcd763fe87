package dev.srr.io;

import dev.srr.tensor.DType;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a safetensors file from named entries whose bytes are produced while streaming, so checkpoints of
 * many gigabytes can be written without holding them in memory. The file appears only when complete.
 */
public final class SafetensorsWriter {

    /** Writes exactly {@code count x dtype.bytes} little-endian bytes of one tensor. */
    @FunctionalInterface
    public interface Body {
        void write(OutputStream out) throws IOException;
    }

    private record Entry(String name, DType dtype, long[] shape, Body body) {
    }

    private final List<Entry> entries = new ArrayList<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    public SafetensorsWriter metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    public SafetensorsWriter add(String name, DType dtype, long[] shape, Body body) {
        entries.add(new Entry(name, dtype, shape.clone(), body));
        return this;
    }

    /** Adds float32 values. */
    public SafetensorsWriter addF32(String name, long[] shape, float[] values) {
        return add(name, DType.F32, shape, out -> writeFloats(out, values, 0, values.length));
    }

    public void write(Path target) {
        Map<String, Object> header = new LinkedHashMap<>();
        if (!metadata.isEmpty()) header.put("__metadata__", metadata);
        long offset = 0;
        for (Entry e : entries) {
            long n = e.dtype.bytes;
            for (long d : e.shape) n *= d;
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", e.dtype.name());
            info.put("shape", e.shape);
            info.put("data_offsets", new long[]{offset, offset + n});
            header.put(e.name, info);
            offset += n;
        }
        byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8; // keep the data section 8-byte aligned
        byte[] headerBytes = new byte[padded];
        java.util.Arrays.fill(headerBytes, (byte) ' ');
        System.arraycopy(json, 0, headerBytes, 0, json.length);
        long total = offset;
        AtomicFiles.write(target, out -> {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
            out.write(len.array());
            out.write(headerBytes);
            CountingStream counting = new CountingStream(out);
            for (Entry e : entries) e.body.write(counting);
            if (counting.count != total) {
                throw new IOException("wrote " + counting.count + " data bytes, header promised " + total);
            }
        });
    }

    public static void writeFloats(OutputStream out, float[] values, int from, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(Math.min(length, 1 << 16) * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < length; ) {
            buf.clear();
            int n = Math.min(length - i, buf.capacity() / 4);
            buf.asFloatBuffer().put(values, from + i, n);
            out.write(buf.array(), 0, n * 4);
            i += n;
        }
    }

    private static final class CountingStream extends OutputStream {
        private final OutputStream out;
        long count;

        CountingStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
