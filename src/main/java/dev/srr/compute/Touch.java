package dev.srr.compute;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Brings weight bytes toward the core ahead of a decode kernel by reading one byte per cache line.
 *
 * <p>Why: a decode kernel spends about fifteen instructions on each 34-byte Q8_0 block, so the reorder window
 * holds only a dozen outstanding cache-line misses, and where the hardware prefetcher does not run ahead (as
 * measured on the 2-vCPU VM of docs/benchmarks.md) one thread streamed 6.4 GB/s from memory against 23 GB/s from
 * cache. This loop has two instructions per line, so dozens of lines are in flight at once; touching the next
 * 8 rows before working on the current ones took the same kernel to 12.4 GB/s. Java has no prefetch instruction,
 * hence plain loads whose sum is kept.
 */
final class Touch {
    /** Keeps the loads observable, so the JIT cannot drop them; racy writes are harmless. */
    @SuppressWarnings("unused")
    private static long sink;

    /** Decode rows touched ahead in one go; a multiple of 4 so kernels' row tiles align; 0 turns touching off. */
    static final int ROWS = Math.max(0, Integer.getInteger("srr.decode.touchRows", 8) & ~3);

    private Touch() {
    }

    /**
     * For a loop over rows [o0, o1) of {@code rowBytes} each, {@code step} rows at a time, at row {@code o}: at
     * the start of every span of max({@link #ROWS}, step) rows, touches the next span (at o0, this one as well).
     */
    static void ahead(MemorySegment seg, long rowBytes, int o0, int o1, int o, int step) {
        int span = Math.max(ROWS, step);
        if (ROWS == 0 || (o - o0) % span != 0) return;
        if (o == o0) lines(seg, o * rowBytes, Math.min(span, o1 - o) * rowBytes);
        int next = o + span;
        lines(seg, next * rowBytes, Math.min(span, o1 - next) * rowBytes);
    }

    /** Reads one byte in every 64-byte line of {@code seg} in [from, from + len) (nothing when len <= 0). */
    static void lines(MemorySegment seg, long from, long len) {
        long s = 0;
        for (long i = from, end = from + len; i < end; i += 64) s += seg.get(ValueLayout.JAVA_BYTE, i);
        sink = s;
    }
}
