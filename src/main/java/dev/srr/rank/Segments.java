package dev.srr.rank;

/**
 * How a batch's rows split into lists: list {@code l} occupies rows {@code offset(l) .. offset(l)+length(l)-1},
 * the first of which is the instruction and the rest its candidates.
 */
record Segments(int[] offsets, int[] lengths, int rows) {

    static Segments of(int... lengths) {
        int[] offsets = new int[lengths.length];
        int rows = 0;
        for (int l = 0; l < lengths.length; l++) {
            offsets[l] = rows;
            rows += lengths[l];
        }
        return new Segments(offsets, lengths.clone(), rows);
    }

    int count() {
        return lengths.length;
    }

    int offset(int l) {
        return offsets[l];
    }

    int length(int l) {
        return lengths[l];
    }
}
