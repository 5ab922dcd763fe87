package dev.srr.rank;

import java.util.stream.IntStream;

/**
 * Affine map applied to every row: {@code y = x W + b} with {@code W} stored input-major ({@code in x out}).
 *
 * <p>All inner loops are "row += scalar * row" updates, which the JIT vectorises without reordering any
 * sum, and every output element is accumulated in the same fixed order however the work is tiled or split
 * across threads. Results are therefore bit-identical from run to run, whatever the thread count.
 * Rows are processed in tiles so one row of {@code W} is reused from cache across the tile.
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
            for (int i = 0; i < in; i++) {
                int wo = i * out;
                for (int t = from; t < to; t++) {
                    double xi = x[t * in + i];
                    int yo = t * out;
                    for (int j = 0; j < out; j++) y[yo + j] += xi * w[wo + j];
                }
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
            for (int t0 = 0; t0 < rows; t0 += TILE) {
                int t1 = Math.min(rows, t0 + TILE);
                for (int i = iFrom; i < iTo; i++) {
                    int wo = i * out;
                    for (int t = t0; t < t1; t++) {
                        double xi = x[t * in + i];
                        int yo = t * out;
                        for (int j = 0; j < out; j++) dw[wo + j] += xi * dy[yo + j];
                    }
                }
            }
        });
        if (!needInputGrad) return null;
        double[] wt = transpose(w, in, out);
        double[] dx = new double[rows * in];
        forEachTile(rows, (long) rows * in * out, (from, to) -> {
            for (int j = 0; j < out; j++) {
                int to2 = j * in;
                for (int t = from; t < to; t++) {
                    double g = dy[t * out + j];
                    int xo = t * in;
                    for (int i = 0; i < in; i++) dx[xo + i] += g * wt[to2 + i];
                }
            }
        });
        return dx;
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
