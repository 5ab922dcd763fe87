package dev.srr.rank;

import java.util.stream.IntStream;

/**
 * Affine map applied to every row: {@code y = x W + b} with {@code W} stored input-major ({@code in x out}).
 *
 * <p>All inner loops are "row += scalar * row" updates, which the JIT vectorises without reordering any
 * sum, and every output element is accumulated in the same fixed order however the work is tiled or split
 * across threads. Results are therefore bit-identical from run to run, whatever the thread count.
 * Each output row folds four input terms per pass ({@link #accumulate}) to save memory traffic.
 */
final class Linear {
    private static final int TILE = 16;
    /** Below this many multiply-adds the work stays on the calling thread. */
    private static final long PARALLEL_WORK = 1L << 20;

    private Linear() {
    }

    /** {@code y[rows x out] = x[rows x in] W + b}. */
    static double[] forward(double[] x, int rows, int in, int out, double[] w, double[] b) {
        double[] y = new double[rows * out];
        forEachTile(rows, (long) rows * in * out, (from, to) -> {
            for (int t = from; t < to; t++) System.arraycopy(b, 0, y, t * out, out);
            for (int t = from; t < to; t++) {
                int xo = t * in;
                accumulate(y, t * out, x, xo, 1, w, out, in, out);
            }
        });
        return y;
    }

    /**
     * Accumulates {@code dW += x^T dy} and {@code db += sum of dy rows}; returns {@code dx = dy W^T}, or null
     * when {@code needInputGrad} is false (the first layer: features are data, not parameters).
     */
    static double[] backward(double[] x, double[] dy, int rows, int in, int out, double[] w,
                             double[] dw, double[] db, boolean needInputGrad) {
        for (int t = 0; t < rows; t++) {
            int yo = t * out;
            for (int j = 0; j < out; j++) db[j] += dy[yo + j];
        }
        // dW rows are independent: split them across threads; each sums over t in ascending order.
        forEachTile(in, (long) rows * in * out, (iFrom, iTo) -> {
            for (int i = iFrom; i < iTo; i++) accumulate(dw, i * out, x, i, in, dy, out, rows, out);
        });
        if (!needInputGrad) return null;
        double[] wt = transpose(w, in, out);
        double[] dx = new double[rows * in];
        forEachTile(rows, (long) rows * in * out, (from, to) -> {
            for (int t = from; t < to; t++) accumulate(dx, t * in, dy, t * out, 1, wt, in, out, in);
        });
        return dx;
    }

    /**
     * {@code acc[ao .. ao+width) += sum over k < count of a[a0 + k*aStride] * m[k*mStride .. +width)}, adding the
     * terms one k at a time in ascending order. Four terms are folded into each pass over the row
     * ({@code acc + t0 + t1 + t2 + t3} evaluates left to right, so the order of additions is unchanged) to cut
     * the loads and stores of {@code acc} by four.
     */
    private static void accumulate(double[] acc, int ao, double[] a, int a0, int aStride, double[] m, int mStride,
                                   int count, int width) {
        int k = 0;
        for (; k + 4 <= count; k += 4) {
            double c0 = a[a0 + k * aStride];
            double c1 = a[a0 + (k + 1) * aStride];
            double c2 = a[a0 + (k + 2) * aStride];
            double c3 = a[a0 + (k + 3) * aStride];
            int m0 = k * mStride;
            int m1 = m0 + mStride;
            int m2 = m1 + mStride;
            int m3 = m2 + mStride;
            for (int j = 0; j < width; j++) {
                acc[ao + j] = acc[ao + j] + c0 * m[m0 + j] + c1 * m[m1 + j] + c2 * m[m2 + j] + c3 * m[m3 + j];
            }
        }
        for (; k < count; k++) {
            double c = a[a0 + k * aStride];
            int mo = k * mStride;
            for (int j = 0; j < width; j++) acc[ao + j] += c * m[mo + j];
        }
    }

    static double[] transpose(double[] m, int rows, int cols) {
        double[] t = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) t[c * rows + r] = m[r * cols + c];
        }
        return t;
    }

    interface Range {
        void run(int from, int to);
    }

    /** Runs {@code body} over [0, n) in tiles of {@link #TILE}, in parallel when the work is large. */
    private static void forEachTile(int n, long work, Range body) {
        int tiles = (n + TILE - 1) / TILE;
        if (work < PARALLEL_WORK || tiles == 1) {
            for (int k = 0; k < tiles; k++) body.run(k * TILE, Math.min(n, (k + 1) * TILE));
        } else {
            IntStream.range(0, tiles).parallel().forEach(k -> body.run(k * TILE, Math.min(n, (k + 1) * TILE)));
        }
    }
}
