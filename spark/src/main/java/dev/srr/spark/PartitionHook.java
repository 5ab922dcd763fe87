package dev.srr.spark;

import org.apache.spark.TaskContext;

import java.io.Serializable;

/**
 * Called by a task before each list it processes. Jobs run with {@link #NONE}; tests pass a hook that throws to
 * inject a task failure mid-partition and check that Spark's retry leaves no duplicate or lost output.
 */
@FunctionalInterface
public interface PartitionHook extends Serializable {
    PartitionHook NONE = (task, done) -> {
    };

    /**
     * @param task the running task (partition id, attempt number)
     * @param done lists this attempt has processed so far in its partition
     */
    void beforeList(TaskContext task, long done);
}
