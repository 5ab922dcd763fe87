package dev.srr.compute;

import dev.srr.Parallel;
import jdk.incubator.vector.FloatVector;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * A STREAM-like read benchmark: every thread of the compute pool sums its share of a large off-heap buffer with
 * vector loads, as the decode kernels read weights. The best of several passes is the machine's read bandwidth.
 */
public final class MemoryBandwidth {
    private MemoryBandwidth() {
    }

    /** Bytes per second reading {@code bytes} (rounded down to whole vectors), best of {@code passes}. */
    public static double measure(long bytes, int passes) {
        long vectorBytes = Vec.F.vectorByteSize();
        long n = bytes / vectorBytes;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment buf = arena.allocate(n * vectorBytes, 64);
            buf.fill((byte) 1); // touch every page so the timed passes read memory, not fault it in
            double best = 0;
            DoubleAdder sink = new DoubleAdder();
            int blocks = (int) Math.min(Integer.MAX_VALUE, n / 1024);
            // compile the loop first on a cached slice, so no timed pass runs interpreted code
            for (int i = 0; i < 20_000; i++) sink.add(sum(buf, 0, Math.min(n, 1024) * vectorBytes));
            for (int p = 0; p < passes; p++) {
                long t0 = System.nanoTime();
                Parallel.forRange(blocks, 1, (from, to) -> sink.add(sum(buf, from * 1024L * vectorBytes, to * 1024L * vectorBytes)));
                double s = (System.nanoTime() - t0) / 1e9;
                best = Math.max(best, blocks * 1024L * vectorBytes / s);
            }
            if (sink.sum() == 42) System.out.print(""); // keep the sums alive
            return best;
        }
    }

    private static float sum(MemorySegment buf, long from, long to) {
        FloatVector a = FloatVector.zero(Vec.F), b = a, c = a, d = a;
        long step = Vec.F.vectorByteSize();
        long i = from;
        for (; i + 4 * step <= to; i += 4 * step) {
            a = a.add(FloatVector.fromMemorySegment(Vec.F, buf, i, Vec.LE));
            b = b.add(FloatVector.fromMemorySegment(Vec.F, buf, i + step, Vec.LE));
            c = c.add(FloatVector.fromMemorySegment(Vec.F, buf, i + 2 * step, Vec.LE));
            d = d.add(FloatVector.fromMemorySegment(Vec.F, buf, i + 3 * step, Vec.LE));
        }
        float s = Lanes.sum(a.add(b).add(c).add(d));
        for (; i < to; i += 4) s += buf.get(ValueLayout.JAVA_FLOAT_UNALIGNED, i);
        return s;
    }
}
