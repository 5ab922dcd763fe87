package dev.srr.io;

import dev.srr.SrrException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a GGUF header front to back with every read checked against the bytes left, so a count or length that
 * lies ends in a {@link SrrException} naming the file and the field instead of a huge allocation or an
 * out-of-bounds access. Metadata values become Java objects: integers {@code Long}, {@code FLOAT32} {@code Float},
 * {@code FLOAT64} {@code Double}, {@code BOOL} {@code Boolean}, {@code STRING} {@code String}, arrays
 * {@code List<Object>}.
 */
final class GgufCursor {
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int MAX_ARRAY_NESTING = 8;

    /** Metadata value type ids of the GGUF specification. */
    static final int UINT8 = 0, INT8 = 1, UINT16 = 2, INT16 = 3, UINT32 = 4, INT32 = 5, FLOAT32 = 6, BOOL = 7,
            STRING = 8, ARRAY = 9, UINT64 = 10, INT64 = 11, FLOAT64 = 12;

    private final MemorySegment file;
    private final Path path;
    private long pos;

    GgufCursor(MemorySegment file, Path path) {
        this.file = file;
        this.path = path;
    }

    long position() {
        return pos;
    }

    private long need(long bytes, String what) {
        if (bytes < 0 || bytes > file.byteSize() - pos) {
            throw new SrrException(path + ": truncated GGUF header while reading " + what);
        }
        long at = pos;
        pos += bytes;
        return at;
    }

    int i32(String what) {
        return file.get(I32, need(4, what));
    }

    long u32(String what) {
        return Integer.toUnsignedLong(i32(what));
    }

    long i64(String what) {
        return file.get(I64, need(8, what));
    }

    /** A u64 count of items each at least {@code minItemBytes} long, checked against the bytes left. */
    long count(String what, long minItemBytes) {
        long n = i64(what);
        if (n < 0 || n > (file.byteSize() - pos) / minItemBytes) {
            throw new SrrException(path + ": " + what + " " + Long.toUnsignedString(n) + " is more than the file can hold");
        }
        return n;
    }

    String string(String what) {
        long len = i64("the length of " + what);
        if (len < 0 || len > file.byteSize() - pos) {
            throw new SrrException(path + ": " + what + " has length " + Long.toUnsignedString(len) + ", more than the file holds");
        }
        if (len > Integer.MAX_VALUE - 8) throw new SrrException(path + ": " + what + " is longer than 2 GiB");
        byte[] bytes = file.asSlice(need(len, what), len).toArray(ValueLayout.JAVA_BYTE);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    Object value(long type, String key) {
        return value(type, key, 0);
    }

    private Object value(long type, String key, int depth) {
        String what = "metadata '" + key + "'";
        return switch ((int) Math.min(type, Integer.MAX_VALUE)) {
            case UINT8 -> (long) (file.get(ValueLayout.JAVA_BYTE, need(1, what)) & 0xFF);
            case INT8 -> (long) file.get(ValueLayout.JAVA_BYTE, need(1, what));
            case UINT16 -> (long) (file.get(I16, need(2, what)) & 0xFFFF);
            case INT16 -> (long) file.get(I16, need(2, what));
            case UINT32 -> u32(what);
            case INT32 -> (long) i32(what);
            case UINT64, INT64 -> i64(what);
            case FLOAT32 -> file.get(F32, need(4, what));
            case FLOAT64 -> file.get(F64, need(8, what));
            case BOOL -> {
                byte b = file.get(ValueLayout.JAVA_BYTE, need(1, what));
                if (b != 0 && b != 1) throw new SrrException(path + ": " + what + " is a bool with byte value " + b);
                yield b == 1;
            }
            case STRING -> string(what);
            case ARRAY -> {
                if (depth >= MAX_ARRAY_NESTING) throw new SrrException(path + ": " + what + " nests arrays deeper than " + MAX_ARRAY_NESTING);
                long elementType = u32("the element type of " + what);
                long n = count("the length of " + what, minBytes(elementType, key));
                List<Object> list = new ArrayList<>((int) Math.min(n, 1 << 16));
                for (long i = 0; i < n; i++) list.add(value(elementType, key, depth + 1));
                yield list;
            }
            default -> throw new SrrException(path + ": " + what + " has unknown value type " + type);
        };
    }

    private long minBytes(long type, String key) {
        return switch ((int) Math.min(type, Integer.MAX_VALUE)) {
            case UINT8, INT8, BOOL -> 1;
            case UINT16, INT16 -> 2;
            case UINT32, INT32, FLOAT32 -> 4;
            case UINT64, INT64, FLOAT64, STRING -> 8;
            case ARRAY -> 12;
            default -> throw new SrrException(path + ": metadata '" + key + "' is an array of unknown value type " + type);
        };
    }
}
