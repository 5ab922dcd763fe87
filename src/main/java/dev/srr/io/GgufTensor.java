package dev.srr.io;

import dev.srr.tensor.GgmlType;

import java.lang.foreign.MemorySegment;

/**
 * A tensor as a GGUF file stores it, validated by {@link GgufFile}.
 *
 * @param shape row-major, outermost first (the reverse of GGUF's {@code ne} order), so a matrix of {@code rows}
 *              rows of {@code cols} values has shape {@code [rows, cols]}, as in safetensors
 * @param data  exactly the tensor's bytes: {@code size() / type.blockSize * type.blockBytes}
 */
public record GgufTensor(String name, GgmlType type, long[] shape, MemorySegment data) {
    /** The number of values. */
    public long size() {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    /** Values per row (the innermost dimension). */
    public long rowLength() {
        return shape[shape.length - 1];
    }
}
