package dev.srr.spark;

import java.io.Serializable;

/**
 * What evaluation needs of one list, computed on an executor: its place in the input, its labels and the scores of
 * the methods that need the list's features or texts. Everything else (metrics, baselines from labels alone) is
 * computed from these on the driver. A plain class, not a record (see {@link JobSettings}).
 */
final class ListOutcome implements Serializable {
    private static final long serialVersionUID = 1L;

    final long index;
    /** Per candidate: 1 safe, 0 unsafe, -1 unlabelled. */
    final byte[] labels;
    final double[] ranker;
    final double[] keyword;

    ListOutcome(long index, Boolean[] labels, double[] ranker, double[] keyword) {
        this.index = index;
        this.labels = new byte[labels.length];
        for (int i = 0; i < labels.length; i++) this.labels[i] = labels[i] == null ? -1 : labels[i] ? (byte) 1 : (byte) 0;
        this.ranker = ranker;
        this.keyword = keyword;
    }

    Boolean[] labels() {
        Boolean[] y = new Boolean[labels.length];
        for (int i = 0; i < y.length; i++) y[i] = labels[i] < 0 ? null : labels[i] == 1;
        return y;
    }
}
