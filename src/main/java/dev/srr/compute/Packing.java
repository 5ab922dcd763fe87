package dev.srr.compute;

import dev.srr.tensor.DType;

/** How the matmul kernels want a row of float activations laid out for weights of a given dtype. */
enum Packing {
    /** As is: F32 weights load one float per lane; F16 and block-quantized weights are decoded to F32 rows. */
    NATURAL,
    /**
     * For BF16 weights, whose kernels widen one int load into the even and the odd elements: each block of
     * 2L elements is stored as its L even elements then its L odd ones; the tail past the last block stays as is.
     */
    PAIRED;

    static Packing of(DType dtype) {
        return dtype == DType.BF16 ? PAIRED : NATURAL;
    }

    /** Rows {@code rows[i]} (width {@code w}) of {@code in} into consecutive rows of {@code out}. */
    void pack(float[] in, int[] rows, int w, float[] out) {
        for (int i = 0; i < rows.length; i++) packRow(in, rows[i] * w, out, i * w, w);
    }

    /** The first {@code rows} rows of {@code in} into {@code out}. */
    void pack(float[] in, int rows, int w, float[] out) {
        if (this == NATURAL) {
            System.arraycopy(in, 0, out, 0, rows * w);
            return;
        }
        for (int r = 0; r < rows; r++) packRow(in, r * w, out, r * w, w);
    }

    private void packRow(float[] in, int from, float[] out, int to, int w) {
        if (this == NATURAL) {
            System.arraycopy(in, from, out, to, w);
            return;
        }
        int l = Vec.L;
        int bound = w - w % (2 * l);
        for (int c = 0; c < bound; c += 2 * l) {
            for (int j = 0; j < l; j++) {
                out[to + c + j] = in[from + c + 2 * j];
                out[to + c + l + j] = in[from + c + 2 * j + 1];
            }
        }
        System.arraycopy(in, from + bound, out, to + bound, w - bound);
    }
}
