package dev.srr.serve;

import dev.srr.engine.DecodeBatch;
import dev.srr.engine.FeatureCapture;
import dev.srr.engine.ForwardDriver;
import dev.srr.engine.GenerationOptions;
import dev.srr.engine.GenerationResult;
import dev.srr.engine.GenerationRun;
import dev.srr.engine.Generator;
import dev.srr.engine.TokenListener;
import dev.srr.model.ModelConfig;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Continuous batching over one model: a single engine thread owns the model and steps every active request's
 * candidates together ({@link DecodeBatch}), one batched forward per token. Requests wait in a bounded queue and
 * join between steps when their K sequences and their KV-cache reservation (prompt + K x max_tokens positions) fit;
 * they leave as soon as they finish or are cancelled, releasing their KV cache. Other work on the model (ranking
 * given candidates, embeddings) runs on the same thread between steps, so the model is never used by two threads.
 */
public final class Scheduler implements AutoCloseable {
    private final ForwardDriver forward;
    private final Generator generator;
    private final ServeLimits limits;
    private final ServerMetrics metrics;
    private final long bytesPerPosition;
    private final Deque<Job<?>> waiting = new ArrayDeque<>();
    private final Deque<Task<?>> tasks = new ArrayDeque<>();
    private final List<Job<?>> active = new ArrayList<>();
    private final Thread thread;
    private boolean draining;
    private boolean closed;
    private long reservedBytes;
    private int activeSequences;

    /** Starts the engine thread. {@code generator} must drive {@code forward}. */
    public Scheduler(ForwardDriver forward, Generator generator, ServeLimits limits, ServerMetrics metrics) {
        this.forward = forward;
        this.generator = generator;
        this.limits = limits;
        this.metrics = metrics;
        ModelConfig c = forward.config();
        this.bytesPerPosition = 2L * c.numLayers() * c.kvDim() * Float.BYTES;
        this.thread = Thread.ofPlatform().name("srr-engine").daemon(true).start(this::loop);
    }

    /** A submitted generation: its outcome (mapped on the engine thread) and a way to cancel it. */
    public static final class Ticket<T> {
        final CompletableFuture<T> future = new CompletableFuture<>();
        volatile boolean cancelled;

        public CompletableFuture<T> future() {
            return future;
        }

        /** Drops the request: it leaves the queue or the batch before the next step, and its KV cache is released. */
        public void cancel() {
            cancelled = true;
        }
    }

    private static final class Job<T> {
        final Ticket<T> ticket = new Ticket<>();
        final int[] prompt;
        final GenerationOptions options;
        final FeatureCapture capture;
        final TokenListener listener;
        final Function<GenerationResult, T> finish;
        final long bytes;
        GenerationRun run;

        Job(int[] prompt, GenerationOptions options, FeatureCapture capture, TokenListener listener,
            Function<GenerationResult, T> finish, long bytes) {
            this.prompt = prompt;
            this.options = options;
            this.capture = capture;
            this.listener = listener;
            this.finish = finish;
            this.bytes = bytes;
        }
    }

    private record Task<T>(Callable<T> work, CompletableFuture<T> future) {
    }

    /** KV-cache bytes a request reserves: every layer's keys and values for prompt + K x max_tokens positions. */
    public long kvBytes(int promptTokens, GenerationOptions options) {
        return bytesPerPosition * (promptTokens + (long) options.candidates() * options.maxNewTokens());
    }

    /**
     * Queues a generation. {@code listener} and {@code finish} run on the engine thread: keep them short (hand tokens
     * to another thread). The prompt must fit the context with max_new_tokens (checked by the caller, who can name the
     * field).
     *
     * @throws ApiError 400 when the request alone exceeds the sequence or KV budget, 429 when the queue is full,
     *                  503 while the server drains
     */
    public <T> Ticket<T> submit(int[] prompt, GenerationOptions options, FeatureCapture capture, TokenListener listener,
                                Function<GenerationResult, T> finish) {
        long bytes = kvBytes(prompt.length, options);
        if (options.candidates() > limits.maxActiveSequences()) {
            throw ApiError.badField("srr.k", options.candidates() + " candidates exceed the server's " + limits.maxActiveSequences()
                    + " active sequences");
        }
        if (bytes > limits.kvBudgetBytes()) {
            throw ApiError.badField("max_tokens", "the request needs " + bytes + " bytes of KV cache (prompt of " + prompt.length
                    + " tokens + " + options.candidates() + " x max_tokens " + options.maxNewTokens() + "), more than the server's budget of "
                    + limits.kvBudgetBytes());
        }
        Job<T> job = new Job<>(prompt, options, capture, listener, finish, bytes);
        synchronized (this) {
            refuseWhenFull();
            waiting.add(job);
            metrics.queueDepth(waiting.size());
            notifyAll();
        }
        return job.ticket;
    }

    /** Runs {@code work} on the engine thread between two steps; it counts against the queue like a request. */
    public <T> CompletableFuture<T> call(Callable<T> work) {
        CompletableFuture<T> future = new CompletableFuture<>();
        synchronized (this) {
            refuseWhenFull();
            tasks.add(new Task<>(work, future));
            notifyAll();
        }
        return future;
    }

    private void refuseWhenFull() {
        if (draining || closed) throw new ApiError(503, "server_error", "the server is shutting down", null, "shutting_down");
        if (waiting.size() + tasks.size() >= limits.maxQueuedRequests()) {
            throw new ApiError(429, "rate_limit_error", "the server's queue of " + limits.maxQueuedRequests()
                    + " requests is full; retry later", null, "queue_full");
        }
    }

    /** Requests waiting for room. */
    public synchronized int queued() {
        return waiting.size() + tasks.size();
    }

    /** Candidates decoding now. */
    public synchronized int activeSequences() {
        return activeSequences;
    }

    /**
     * Refuses new work (503) and waits until every queued and running request has finished, or {@code millis} passed.
     *
     * @return whether everything finished in time
     */
    public synchronized boolean drain(long millis) throws InterruptedException {
        draining = true;
        long end = System.currentTimeMillis() + millis;
        while (!waiting.isEmpty() || !tasks.isEmpty() || !active.isEmpty()) {
            long left = end - System.currentTimeMillis();
            if (left <= 0) return false;
            wait(left);
        }
        return true;
    }

    private void loop() {
        DecodeBatch batch = new DecodeBatch(forward);
        while (true) {
            List<Task<?>> runNow;
            synchronized (this) {
                while (!closed && waiting.isEmpty() && tasks.isEmpty() && active.isEmpty()) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) break;
                runNow = new ArrayList<>(tasks);
                tasks.clear();
            }
            for (Task<?> t : runNow) runTask(t);
            admit();
            dropCancelled();
            List<GenerationRun> runs = new ArrayList<>(active.size());
            for (Job<?> j : active) runs.add(j.run);
            if (!runs.isEmpty()) {
                long start = System.nanoTime();
                try {
                    DecodeBatch.StepSummary s = batch.step(runs, limits.prefillChunk());
                    metrics.step(s.decodeRows(), s.prefillRows(), System.nanoTime() - start);
                } catch (RuntimeException e) {
                    failAll(e);
                }
                finishDone();
            }
            synchronized (this) {
                notifyAll(); // drain() waits on the monitor
            }
        }
        synchronized (this) {
            for (Job<?> j : waiting) j.ticket.future.completeExceptionally(new CancellationException("the server stopped"));
            waiting.clear();
            for (Task<?> t : tasks) t.future().completeExceptionally(new CancellationException("the server stopped"));
            tasks.clear();
        }
        for (Job<?> j : active) {
            end(j);
            j.ticket.future.completeExceptionally(new CancellationException("the server stopped"));
        }
        active.clear();
    }

    private <T> void runTask(Task<T> t) {
        try {
            t.future().complete(t.work().call());
        } catch (Throwable e) {
            t.future().completeExceptionally(e);
        }
    }

    /** Moves waiting requests into the batch, oldest first, while their sequences and KV reservation fit. */
    private void admit() {
        while (true) {
            Job<?> job;
            synchronized (this) {
                job = waiting.peek();
                if (job == null) return;
                if (!job.ticket.cancelled && (activeSequences + job.options.candidates() > limits.maxActiveSequences()
                        || reservedBytes + job.bytes > limits.kvBudgetBytes())) return;
                waiting.poll();
                metrics.queueDepth(waiting.size());
                if (job.ticket.cancelled) {
                    job.ticket.future.completeExceptionally(new CancellationException("cancelled while queued"));
                    continue;
                }
                activeSequences += job.options.candidates();
                reservedBytes += job.bytes;
                metrics.activeSequences(activeSequences);
            }
            try {
                job.run = generator.start(job.prompt, job.options, job.capture, job.listener);
                active.add(job);
            } catch (RuntimeException e) {
                release(job);
                job.ticket.future.completeExceptionally(e);
            }
        }
    }

    private void dropCancelled() {
        for (Iterator<Job<?>> it = active.iterator(); it.hasNext(); ) {
            Job<?> j = it.next();
            if (!j.ticket.cancelled) continue;
            it.remove();
            end(j);
            j.ticket.future.completeExceptionally(new CancellationException("cancelled"));
            metrics.cancelled();
        }
    }

    private void finishDone() {
        for (Iterator<Job<?>> it = active.iterator(); it.hasNext(); ) {
            Job<?> j = it.next();
            if (!j.run.finished()) continue;
            it.remove();
            complete(j);
        }
    }

    private <T> void complete(Job<T> j) {
        try {
            T value = j.finish.apply(j.run.result(-1));
            end(j);
            j.ticket.future.complete(value);
        } catch (RuntimeException e) {
            end(j);
            j.ticket.future.completeExceptionally(e);
        }
    }

    private void failAll(RuntimeException e) {
        for (Job<?> j : active) {
            end(j);
            j.ticket.future.completeExceptionally(e);
        }
        active.clear();
    }

    /** Closes a job's run (its KV cache) and returns its reservation. */
    private void end(Job<?> j) {
        j.run.close();
        release(j);
    }

    private synchronized void release(Job<?> j) {
        activeSequences -= j.options.candidates();
        reservedBytes -= j.bytes;
        metrics.activeSequences(activeSequences);
    }

    /** Stops the engine thread; requests still queued or running fail with a CancellationException. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
