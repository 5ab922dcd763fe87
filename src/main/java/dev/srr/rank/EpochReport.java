package dev.srr.rank;

/**
 * One epoch's progress. Validation fields are NaN when there are no usable validation lists.
 *
 * @param trainLoss     mean listwise KL over the epoch's training lists (with dropout)
 * @param valLoss       mean KL on validation lists, without dropout, with the float32-rounded weights
 * @param valAccuracy   validation ranking accuracy of the same weights
 * @param best          whether this epoch's weights are the best so far (the ones kept)
 * @param seconds       wall time of the epoch, validation included
 */
public record EpochReport(int epoch, double trainLoss, double valLoss, double valAccuracy, boolean best, double seconds) {
}
