package dev.srr.spark;

import java.util.Locale;

/**
 * What a finished job did, read from its accumulators on the driver (progress counts; see {@link JobCounters}).
 *
 * @param lists           lists (or prompts) processed
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

    /** One line for stderr; {@code unit} names what was counted (lists, or prompts for respond). */
    public String line(String job, String unit) {
        return String.format(Locale.ROOT, "srr-spark %s: %d %s (%d candidates) in %.1f s, %.2f %s/s; model loaded by %d "
                        + "executor(s), %.1f s on average", job, lists, unit, candidates, seconds, lists / Math.max(seconds, 1e-9),
                unit, modelLoads, modelLoads == 0 ? 0.0 : modelLoadMillis / 1000.0 / modelLoads);
    }
}
