package dev.srr;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParallelTest {

    @Test
    void everyIndexRunsExactlyOnceInContiguousChunks() {
        for (int n : new int[]{1, 2, 7, 64, 1000, 100_003}) {
            for (int grain : new int[]{1, 3, 64}) {
                int[] hits = new int[n];
                ConcurrentLinkedQueue<int[]> chunks = new ConcurrentLinkedQueue<>();
                Parallel.forRange(n, grain, (from, to) -> {
                    chunks.add(new int[]{from, to});
                    for (int i = from; i < to; i++) hits[i]++;
                });
                int[] ones = new int[n];
                java.util.Arrays.fill(ones, 1);
                assertArrayEquals(ones, hits, "n=" + n + " grain=" + grain);
                int expected = Math.min(Parallel.THREADS * 4, Math.max(1, n / grain));
                if (Parallel.THREADS == 1) expected = 1;
                assertEquals(expected, chunks.size(), "n=" + n + " grain=" + grain);
                for (int[] c : chunks) assertTrue(c[1] - c[0] >= Math.min(grain, n), "chunk " + c[0] + ".." + c[1]);
            }
        }
    }

    @Test
    void chunkBoundsDoNotDependOnTheRun() {
        List<String> first = bounds();
        for (int run = 0; run < 50; run++) assertEquals(first, bounds());
    }

    private static List<String> bounds() {
        ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
        Parallel.forRange(1001, 1, (from, to) -> seen.add(from + ".." + to));
        List<String> sorted = new ArrayList<>(seen);
        sorted.sort(null);
        return sorted;
    }

    @Test
    void aChunksExceptionReachesTheCallerAfterTheOthersFinish() {
        AtomicInteger ran = new AtomicInteger();
        IllegalArgumentException thrown = new IllegalArgumentException("chunk failed");
        IllegalArgumentException caught = assertThrows(IllegalArgumentException.class, () ->
                Parallel.forRange(1000, 1, (from, to) -> {
                    ran.incrementAndGet();
                    if (from == 0) throw thrown;
                }));
        assertSame(thrown, caught);
        // the team is free again
        int[] sum = new int[1];
        Parallel.forRange(10, 1, (from, to) -> {
            synchronized (sum) {
                sum[0] += to - from;
            }
        });
        assertEquals(10, sum[0]);
    }

    @Test
    void nestedAndConcurrentCallersComplete() throws Exception {
        int callers = 4;
        long[] totals = new long[callers];
        CountDownLatch start = new CountDownLatch(1);
        Thread[] threads = new Thread[callers];
        for (int c = 0; c < callers; c++) {
            int me = c;
            threads[c] = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int rep = 0; rep < 200; rep++) {
                    AtomicInteger inner = new AtomicInteger();
                    Parallel.forRange(16, 1, (from, to) -> {
                        for (int i = from; i < to; i++) {
                            Parallel.forRange(100, 1, (a, b) -> inner.addAndGet(b - a));
                        }
                    });
                    totals[me] += inner.get();
                }
            });
            threads[c].start();
        }
        start.countDown();
        for (Thread t : threads) {
            t.join(60_000);
            assertTrue(!t.isAlive(), "a caller did not finish");
        }
        for (long t : totals) assertEquals(200L * 16 * 100, t);
    }
}
