package dev.srr.spark;

import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;

import java.io.Serializable;

/**
 * A job's progress as Spark accumulators, visible in the Spark UI under these names while the job runs. Spark drops
 * the updates of a failed task attempt, but a stage it recomputes (a lost executor's finished tasks) counts again, so
 * these are progress, not the result: the output itself is what the committed tasks wrote.
 */
public final class JobCounters implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Lists processed (with candidates). */
    public final LongAccumulator lists;
    /** Candidates of those lists. */
    public final LongAccumulator candidates;
    /** Model loads: one per executor JVM that ran a task. */
    public final LongAccumulator modelLoads;
    /** Milliseconds those loads took, summed over executors. */
    public final LongAccumulator modelLoadMillis;

    public JobCounters(SparkContext sc) {
        lists = sc.longAccumulator("srr lists");
        candidates = sc.longAccumulator("srr candidates");
        modelLoads = sc.longAccumulator("srr model loads");
        modelLoadMillis = sc.longAccumulator("srr model load ms");
    }

    /** Records that this task loaded the model in {@code nanos}. */
    void loaded(long nanos) {
        modelLoads.add(1);
        modelLoadMillis.add(nanos / 1_000_000);
    }
}
