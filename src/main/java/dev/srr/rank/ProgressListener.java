package dev.srr.rank;

/** Receives training progress, one call per epoch, plus a note about the data before the first epoch. */
public interface ProgressListener {
    void onEpoch(EpochReport report);

    default void onStart(TrainResult.DataCounts counts, long parameterCount) {
    }

    ProgressListener NONE = report -> {
    };
}
