package dev.srr.rank;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.stream.IntStream;

/**
 * Affine map applied to every row: {@code y = x W + b} with {@code W} stored input-major ({@code in x out}).
 *
 * <p>Every output element is its start value (bias, zero, or the gradient so far) plus its terms added one at a
 * time in ascending order, each as a separate multiply and add (never a fused multiply-add). That order is fixed
 * however the work is blocked, vectorised or split across threads, so results are bit-identical from run to run
 * and equal to the plain triple loop. {@link #multiplyAccumulate} computes blocks of 4 rows x 4 vectors in
 * registers, so each row of the right-hand matrix is loaded once per 4 output rows instead of once per row.
 */
final class Linear {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();
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
            multiplyAccumulate(y, out, x, in, 1, w, out, from, to, in, out);
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
        forEachTile(in, (long) rows * in * out, (iFrom, iTo) ->
                multiplyAccumulate(dw, out, x, 1, in, dy, out, iFrom, iTo, rows, out));
        if (!needInputGrad) return null;
        double[] wt = transpose(w, in, out);
        double[] dx = new double[rows * in];
        forEachTile(rows, (long) rows * in * out, (from, to) ->
                multiplyAccumulate(dx, in, dy, out, 1, wt, in, from, to, out, in));
        return dx;
    }

    /**
     * For output rows {@code r} in {@code [r0, r1)} and columns {@code j < width}:
     * {@code acc[r*accStride + j] += sum over k < count of a[r*aRow + k*aK] * m[k*mStride + j]}, the terms added
     * in ascending k.
     */
    static void multiplyAccumulate(double[] acc, int accStride, double[] a, int aRow, int aK, double[] m, int mStride,
                                   int r0, int r1, int count, int width) {
        int wide = width - width % (4 * L);
        for (int j = 0; j < wide; j += 4 * L) {
            int r = r0;
            for (; r + 4 <= r1; r += 4) block4x4(acc, accStride, a, aRow, aK, m, mStride, r, j, count);
            for (; r < r1; r++) block1x4(acc, accStride, a, aRow, aK, m, mStride, r, j, count);
        }
        for (int r = r0; r < r1; r++) {
            int ao = r * aRow;
            int co = r * accStride;
            for (int j = wide; j < width; j++) {
                double s = acc[co + j];
                for (int k = 0; k < count; k++) s += a[ao + k * aK] * m[k * mStride + j];
                acc[co + j] = s;
            }
        }
    }

    private static void block4x4(double[] acc, int accStride, double[] a, int aRow, int aK, double[] m, int mStride,
                                 int r, int j, int count) {
        int c0 = r * accStride + j, c1 = c0 + accStride, c2 = c1 + accStride, c3 = c2 + accStride;
        DoubleVector s00 = DoubleVector.fromArray(S, acc, c0), s01 = DoubleVector.fromArray(S, acc, c0 + L);
        DoubleVector s02 = DoubleVector.fromArray(S, acc, c0 + 2 * L), s03 = DoubleVector.fromArray(S, acc, c0 + 3 * L);
        DoubleVector s10 = DoubleVector.fromArray(S, acc, c1), s11 = DoubleVector.fromArray(S, acc, c1 + L);
        DoubleVector s12 = DoubleVector.fromArray(S, acc, c1 + 2 * L), s13 = DoubleVector.fromArray(S, acc, c1 + 3 * L);
        DoubleVector s20 = DoubleVector.fromArray(S, acc, c2), s21 = DoubleVector.fromArray(S, acc, c2 + L);
        DoubleVector s22 = DoubleVector.fromArray(S, acc, c2 + 2 * L), s23 = DoubleVector.fromArray(S, acc, c2 + 3 * L);
        DoubleVector s30 = DoubleVector.fromArray(S, acc, c3), s31 = DoubleVector.fromArray(S, acc, c3 + L);
        DoubleVector s32 = DoubleVector.fromArray(S, acc, c3 + 2 * L), s33 = DoubleVector.fromArray(S, acc, c3 + 3 * L);
        int a0 = r * aRow, a1 = a0 + aRow, a2 = a1 + aRow, a3 = a2 + aRow;
        for (int k = 0; k < count; k++) {
            int mo = k * mStride + j;
            DoubleVector m0 = DoubleVector.fromArray(S, m, mo), m1 = DoubleVector.fromArray(S, m, mo + L);
            DoubleVector m2 = DoubleVector.fromArray(S, m, mo + 2 * L), m3 = DoubleVector.fromArray(S, m, mo + 3 * L);
            int ak = k * aK;
            DoubleVector x = DoubleVector.broadcast(S, a[a0 + ak]);
            s00 = s00.add(x.mul(m0));
            s01 = s01.add(x.mul(m1));
            s02 = s02.add(x.mul(m2));
            s03 = s03.add(x.mul(m3));
            x = DoubleVector.broadcast(S, a[a1 + ak]);
            s10 = s10.add(x.mul(m0));
            s11 = s11.add(x.mul(m1));
            s12 = s12.add(x.mul(m2));
            s13 = s13.add(x.mul(m3));
            x = DoubleVector.broadcast(S, a[a2 + ak]);
            s20 = s20.add(x.mul(m0));
            s21 = s21.add(x.mul(m1));
            s22 = s22.add(x.mul(m2));
            s23 = s23.add(x.mul(m3));
            x = DoubleVector.broadcast(S, a[a3 + ak]);
            s30 = s30.add(x.mul(m0));
            s31 = s31.add(x.mul(m1));
            s32 = s32.add(x.mul(m2));
            s33 = s33.add(x.mul(m3));
        }
        s00.intoArray(acc, c0);
        s01.intoArray(acc, c0 + L);
        s02.intoArray(acc, c0 + 2 * L);
        s03.intoArray(acc, c0 + 3 * L);
        s10.intoArray(acc, c1);
        s11.intoArray(acc, c1 + L);
        s12.intoArray(acc, c1 + 2 * L);
        s13.intoArray(acc, c1 + 3 * L);
        s20.intoArray(acc, c2);
        s21.intoArray(acc, c2 + L);
        s22.intoArray(acc, c2 + 2 * L);
        s23.intoArray(acc, c2 + 3 * L);
        s30.intoArray(acc, c3);
        s31.intoArray(acc, c3 + L);
        s32.intoArray(acc, c3 + 2 * L);
        s33.intoArray(acc, c3 + 3 * L);
    }

    private static void block1x4(double[] acc, int accStride, double[] a, int aRow, int aK, double[] m, int mStride,
                                 int r, int j, int count) {
        int c0 = r * accStride + j;
        DoubleVector s0 = DoubleVector.fromArray(S, acc, c0), s1 = DoubleVector.fromArray(S, acc, c0 + L);
        DoubleVector s2 = DoubleVector.fromArray(S, acc, c0 + 2 * L), s3 = DoubleVector.fromArray(S, acc, c0 + 3 * L);
        int a0 = r * aRow;
        for (int k = 0; k < count; k++) {
            int mo = k * mStride + j;
            DoubleVector x = DoubleVector.broadcast(S, a[a0 + k * aK]);
            s0 = s0.add(x.mul(DoubleVector.fromArray(S, m, mo)));
            s1 = s1.add(x.mul(DoubleVector.fromArray(S, m, mo + L)));
            s2 = s2.add(x.mul(DoubleVector.fromArray(S, m, mo + 2 * L)));
            s3 = s3.add(x.mul(DoubleVector.fromArray(S, m, mo + 3 * L)));
        }
        s0.intoArray(acc, c0);
        s1.intoArray(acc, c0 + L);
        s2.intoArray(acc, c0 + 2 * L);
        s3.intoArray(acc, c0 + 3 * L);
    }

    /** In 32 x 32 blocks, so that both the reads and the writes stay within a few cache lines. */
    static double[] transpose(double[] m, int rows, int cols) {
        double[] t = new double[rows * cols];
        for (int r0 = 0; r0 < rows; r0 += 32) {
            int r1 = Math.min(rows, r0 + 32);
            for (int c0 = 0; c0 < cols; c0 += 32) {
                int c1 = Math.min(cols, c0 + 32);
                for (int r = r0; r < r1; r++) {
                    for (int c = c0; c < c1; c++) t[c * rows + r] = m[r * cols + c];
                }
            }
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
