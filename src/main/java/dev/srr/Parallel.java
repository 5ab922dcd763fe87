package dev.srr;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Splits index ranges over a persistent team of threads sized to the machine's cores (override with
 * {@code -Dsrr.threads=N}): the calling thread and {@code THREADS - 1} workers.
 *
 * <p>Why a team of its own rather than a fork/join pool: one decoded token runs about six parallel passes per
 * layer, each a few tens of microseconds of work. Waking a parked pool thread costs as much as the pass (a futex
 * wake and a reschedule, slower still in a VM), so the second core mostly waited. Workers here spin for
 * {@code -Dsrr.spinMicros} (default 1000) after each pass before parking, so the next pass starts on them within
 * a fraction of a microsecond; idle, they park and cost nothing.
 *
 * <p>Chunk bounds depend only on {@code n}, {@code grain} and {@link #THREADS}, never on which thread takes which
 * chunk, so bodies writing disjoint outputs give the same bits in every run. One caller drives the team at a
 * time; a second concurrent caller, or a body that itself calls {@link #forRange}, runs its range on its own
 * thread (the cores are busy already).
 */
public final class Parallel {
    /** Threads that share a range, the caller included. */
    public static final int THREADS = Math.max(1,
            Integer.getInteger("srr.threads", Runtime.getRuntime().availableProcessors()));
    private static final long SPIN_NANOS = Math.max(0, Long.getLong("srr.spinMicros", 1000)) * 1000;

    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    private Parallel() {
    }

    /**
     * Runs {@code body} over [0, n) in contiguous chunks of at least {@code grain} indices (at most
     * {@code 4 * THREADS} chunks) and returns when all have run. An exception thrown by a chunk is rethrown here
     * after the other chunks finish.
     */
    public static void forRange(int n, int grain, RangeBody body) {
        if (n <= 0) return;
        int chunks = Math.min(THREADS * 4, Math.max(1, n / Math.max(1, grain)));
        if (chunks <= 1 || THREADS == 1 || Thread.currentThread() instanceof Worker || !Team.LOCK.tryLock()) {
            body.run(0, n);
            return;
        }
        try {
            Team.run(new Job(body, n, chunks, ++Team.started));
        } finally {
            Team.LOCK.unlock();
        }
    }

    /** One range being split: chunks are claimed in order by whoever is free. */
    private static final class Job {
        final RangeBody body;
        final int n, chunks;
        /** Tells jobs apart without a worker holding on to the last one (and the arrays its body captured). */
        final long serial;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        volatile Throwable failure;

        Job(RangeBody body, int n, int chunks, long serial) {
            this.body = body;
            this.n = n;
            this.chunks = chunks;
            this.serial = serial;
        }

        /** Runs chunks until none are left to claim. */
        void work() {
            for (int c; (c = next.getAndIncrement()) < chunks; ) {
                try {
                    if (failure == null) body.run((int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks));
                } catch (Throwable t) {
                    if (failure == null) failure = t;
                } finally {
                    done.incrementAndGet();
                }
            }
        }
    }

    /** The workers and the job they watch for; guarded by {@link #LOCK} on the caller's side. */
    private static final class Team {
        static final ReentrantLock LOCK = new ReentrantLock();
        static final Worker[] WORKERS = new Worker[THREADS - 1];
        static volatile Job current;
        /** Jobs started so far; only the lock holder counts. */
        static long started;

        static {
            for (int i = 0; i < WORKERS.length; i++) {
                WORKERS[i] = new Worker(i + 1);
                WORKERS[i].start();
            }
        }

        static void run(Job job) {
            current = job;
            for (Worker w : WORKERS) if (w.parked) LockSupport.unpark(w);
            job.work();
            current = null; // workers only claim from it now, finding nothing; let go of the body's arrays
            long spunSince = System.nanoTime();
            while (job.done.get() < job.chunks) {
                if (System.nanoTime() - spunSince < SPIN_NANOS) Thread.onSpinWait();
                else Thread.yield();
            }
            Throwable t = job.failure;
            if (t instanceof RuntimeException e) throw e;
            if (t instanceof Error e) throw e;
            if (t != null) throw new IllegalStateException(t);
        }
    }

    /** A team thread: runs each new job's chunks, spinning a while between jobs, then parking. */
    private static final class Worker extends Thread {
        volatile boolean parked;

        Worker(int index) {
            super("srr-worker-" + index);
            setDaemon(true);
        }

        @Override
        public void run() {
            long seen = 0;
            while (true) {
                Job job = Team.current;
                if (job != null && job.serial != seen) {
                    seen = job.serial;
                    job.work();
                    continue;
                }
                long idleSince = System.nanoTime();
                while (!fresh(seen) && System.nanoTime() - idleSince < SPIN_NANOS) Thread.onSpinWait();
                if (fresh(seen)) continue;
                parked = true;
                // re-read after announcing: a job published before the caller saw 'parked' is not missed
                if (!fresh(seen)) LockSupport.park(this);
                parked = false;
            }
        }

        private static boolean fresh(long seen) {
            Job job = Team.current;
            return job != null && job.serial != seen;
        }
    }
}
