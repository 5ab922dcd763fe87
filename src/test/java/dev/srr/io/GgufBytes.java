package dev.srr.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Writes GGUF bytes field by field for reader tests, including files that lie: every count, length, dimension,
 * type id and offset is whatever the test says. Written from the GGUF specification (ggml's docs/gguf.md).
 */
final class GgufBytes {
    int version = 3;
    long alignment = 32;
    Long tensorCountOverride;
    Long kvCountOverride;
    private final List<byte[]> kv = new ArrayList<>();
    private final List<byte[]> infos = new ArrayList<>();
    private final ByteArrayOutputStream data = new ByteArrayOutputStream();

    /** A little-endian byte writer. */
    static final class Out {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Out u32(long v) {
            return raw(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
        }

        Out u64(long v) {
            return raw(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
        }

        Out str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            return u64(b.length).raw(b);
        }

        Out raw(byte[] b) {
            bytes.writeBytes(b);
            return this;
        }

        byte[] done() {
            return bytes.toByteArray();
        }
    }

    /** A key with a value written by {@code value} after its type id. */
    GgufBytes kv(String key, int type, Consumer<Out> value) {
        Out o = new Out().str(key).u32(type);
        value.accept(o);
        kv.add(o.done());
        return this;
    }

    GgufBytes kvString(String key, String v) {
        return kv(key, 8, o -> o.str(v));
    }

    GgufBytes kvU32(String key, long v) {
        return kv(key, 4, o -> o.u32(v));
    }

    /** A tensor info: dims in GGUF order (innermost first), type id and offset as given. */
    GgufBytes tensor(String name, long[] ggmlDims, int type, long offset) {
        Out o = new Out().str(name).u32(ggmlDims.length);
        for (long d : ggmlDims) o.u64(d);
        infos.add(o.u32(type).u64(offset).done());
        return this;
    }

    /** Appends to the data section. */
    GgufBytes data(byte[] b) {
        data.writeBytes(b);
        return this;
    }

    byte[] bytes() {
        Out o = new Out().raw("GGUF".getBytes(StandardCharsets.US_ASCII)).u32(version)
                .u64(tensorCountOverride != null ? tensorCountOverride : infos.size())
                .u64(kvCountOverride != null ? kvCountOverride : kv.size());
        kv.forEach(o::raw);
        infos.forEach(o::raw);
        int pad = (int) ((alignment - o.bytes.size() % alignment) % alignment);
        o.raw(new byte[pad]);
        o.raw(data.toByteArray());
        return o.done();
    }

    Path write(Path file) throws IOException {
        Files.write(file, bytes());
        return file;
    }
}
