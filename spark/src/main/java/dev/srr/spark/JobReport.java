package dev.srr.spark;

import java.util.Locale;

/**
 * What a finished job did, read from its accumulators on the driver (progress counts; see {@link JobCounters}).
 *
 * @param lists           lists processed
 * @param candidates      their candidates
 * @param modelLoads      executor JVMs that loaded the model for this job
 * @param modelLoadMillis milliseconds those loads took, summed
 * @param seconds         wall time of the job on the driver
 */
public record JobReport(long lists, long candidates, long modelLoads, long modelLoadMillis, double seconds) {

    static JobReport of(JobCounters c, long startNanos) {
        return new JobReport(c.lists.value(), c.candidates.value(), c.modelLoads.value(), c.modelLoadMillis.value(),
                (System.nanoTime() - startNanos) / 1e9);
    }

    /** One line for stderr. */
    public String line(String job) {
        return String.format(Locale.ROOT, "srr-spark %s: %d lists (%d candidates) in %.1f s, %.2f lists/s; model loaded by %d "
                        + "executor(s), %.1f s on average", job, lists, candidates, seconds, lists / Math.max(seconds, 1e-9),
                modelLoads, modelLoads == 0 ? 0.0 : modelLoadMillis / 1000.0 / modelLoads);
    }
}
