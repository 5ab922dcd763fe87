package dev.srr.engine;

import dev.srr.Parallel;
import dev.srr.compute.Step;
import dev.srr.compute.StepOutput;
import dev.srr.compute.StepRequest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * Steps any number of {@link GenerationRun}s together, one batched forward per call: every pending candidate of
 * every decoding run gets one row (so each weight is read once per step for all of them), and runs still reading
 * their prompt get a chunk of it, at most {@code prefillBudget} prompt tokens in all, in the order given. Runs join
 * and leave between calls. Each row's arithmetic does not depend on the other rows, and every candidate samples from
 * its own random stream, so a run's candidates do not depend on what else shares its steps.
 */
public final class DecodeBatch {
    private final ForwardDriver forward;

    public DecodeBatch(ForwardDriver forward) {
        this.forward = forward;
    }

    /** What one step ran: candidate rows, prompt rows, and the runs it touched. */
    public record StepSummary(int decodeRows, int prefillRows, int runs) {
        public int rows() {
            return decodeRows + prefillRows;
        }
    }

    /**
     * Runs one step over {@code runs} (finished ones are skipped).
     *
     * @param prefillBudget most prompt tokens this step feeds, at least 1
     * @return what ran; zero rows when every run had finished
     */
    public StepSummary step(List<GenerationRun> runs, int prefillBudget) {
        if (prefillBudget < 1) throw new IllegalArgumentException("prefill budget must be at least 1, got " + prefillBudget);
        long now = System.nanoTime();
        List<Row> rows = new ArrayList<>();
        int decodeRows = 0;
        int touched = 0;
        int budget = prefillBudget;
        List<Prefill> prefills = new ArrayList<>();
        for (GenerationRun run : runs) {
            if (run.decoding()) {
                boolean any = false;
                for (CandidateTrack t : run.tracks) {
                    if (!run.wantsRow(t)) continue;
                    rows.add(new Row(run, t, t.lastToken(), t.sequence, run.prompt.length + t.count() - 1, t.live(), run.features.enabled()));
                    decodeRows++;
                    any = true;
                }
                if (any) {
                    run.stepped();
                    touched++;
                }
            } else if (budget > 0) {
                int from = run.prefilledSoFar();
                int n = Math.min(budget, run.prefillRemaining());
                budget -= n;
                boolean last = from + n == run.prompt.length;
                for (int i = 0; i < n; i++) {
                    boolean end = last && i == n - 1;
                    rows.add(new Row(run, null, run.prompt[from + i], run.parentSequence().id(), from + i, end,
                            end && run.features.enabled()));
                }
                prefills.add(new Prefill(run, n, last, rows.size() - 1));
                touched++;
            }
        }
        if (rows.isEmpty()) return new StepSummary(0, 0, 0);

        int n = rows.size();
        int[] tokens = new int[n];
        int[] sequences = new int[n];
        int[] positions = new int[n];
        int[] logitIndex = new int[n];   // row -> index among logit rows, or -1
        int[] captureIndex = new int[n]; // row -> index among captured rows, or -1
        List<Integer> logitRows = new ArrayList<>();
        List<Integer> captureRows = new ArrayList<>();
        TreeSet<Integer> layers = new TreeSet<>();
        for (int r = 0; r < n; r++) {
            Row row = rows.get(r);
            tokens[r] = row.token;
            sequences[r] = row.sequence;
            positions[r] = row.position;
            logitIndex[r] = row.logits ? logitRows.size() : -1;
            if (row.logits) logitRows.add(r);
            captureIndex[r] = row.capture ? captureRows.size() : -1;
            if (row.capture) {
                captureRows.add(r);
                layers.add(row.run.features.layer());
            }
        }
        // candidates decode on from this step's KV cache, so every layer runs (a step of prompt chunks alone wants no logits)
        StepOutput out = forward.step(new StepRequest(new Step(tokens, sequences, positions),
                layers.stream().mapToInt(Integer::intValue).toArray(), ints(captureRows), false, ints(logitRows), true));
        int d = forward.config().hiddenSize();
        int vocab = forward.config().vocabSize();

        for (Prefill p : prefills) {
            p.run.prefilledChunk(p.tokens, now);
            if (!p.last) continue;
            int r = p.lastRow;
            float[] logits = Arrays.copyOfRange(out.logits(), logitIndex[r] * vocab, (logitIndex[r] + 1) * vocab);
            float[] state = captureIndex[r] < 0 ? null : Arrays.copyOfRange(out.hidden().get(p.run.features.layer()),
                    captureIndex[r] * d, (captureIndex[r] + 1) * d);
            p.run.startCandidates(logits, state, System.nanoTime());
        }

        List<Integer> sampling = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            Row row = rows.get(r);
            if (row.track == null) continue;
            row.track.fed();
            if (captureIndex[r] >= 0) row.track.addState(out.hidden().get(row.run.features.layer()), captureIndex[r]);
            if (row.logits) sampling.add(r);
        }
        int[] next = new int[sampling.size()];
        // each candidate samples from its own stream with its own scratch, so the order across threads is free
        Parallel.forRange(sampling.size(), 1, (from, to) -> {
            for (int j = from; j < to; j++) {
                int r = sampling.get(j);
                CandidateTrack t = rows.get(r).track;
                next[j] = t.sampler.sample(Arrays.copyOfRange(out.logits(), logitIndex[r] * vocab, (logitIndex[r] + 1) * vocab),
                        t.seen, t.random);
            }
        });
        for (int j = 0; j < next.length; j++) {
            Row row = rows.get(sampling.get(j));
            row.run.accept(row.track, next[j]);
        }
        return new StepSummary(decodeRows, n - decodeRows, touched);
    }

    private static int[] ints(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }

    /** One row of the step: a candidate's pending id (track set) or a prompt token (track null). */
    private record Row(GenerationRun run, CandidateTrack track, int token, int sequence, int position, boolean logits,
                       boolean capture) {
    }

    private record Prefill(GenerationRun run, int tokens, boolean last, int lastRow) {
    }
}
