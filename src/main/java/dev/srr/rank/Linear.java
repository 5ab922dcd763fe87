package dev.srr.rank;

/**
 * Affine map applied to every row: {@code y = x W + b} with {@code W} stored input-major ({@code in x out}).
 * All loops are written as "row += scalar * row" updates so the JIT can vectorise them without changing the
 * order of any sum, which keeps results bit-identical from run to run and machine to machine.
 */
final class Linear {
    private Linear() {
    }

    /** {@code y[rows x out] = x[rows x in] W + b}. */
    static double[] forward(double[] x, int rows, int in, int out, double[] w, double[] b) {
        double[] y = new double[rows * out];
        for (int t = 0; t < rows; t++) {
            int yo = t * out;
            System.arraycopy(b, 0, y, yo, out);
            int xo = t * in;
            for (int i = 0; i < in; i++) {
                double xi = x[xo + i];
                int wo = i * out;
                for (int j = 0; j < out; j++) y[yo + j] += xi * w[wo + j];
            }
        }
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
            int xo = t * in;
            for (int i = 0; i < in; i++) {
                double xi = x[xo + i];
                int wo = i * out;
                for (int j = 0; j < out; j++) dw[wo + j] += xi * dy[yo + j];
            }
        }
        if (!needInputGrad) return null;
        double[] wt = transpose(w, in, out);
        double[] dx = new double[rows * in];
        for (int t = 0; t < rows; t++) {
            int xo = t * in;
            int yo = t * out;
            for (int j = 0; j < out; j++) {
                double g = dy[yo + j];
                int to = j * in;
                for (int i = 0; i < in; i++) dx[xo + i] += g * wt[to + i];
            }
        }
        return dx;
    }

    static double[] transpose(double[] m, int rows, int cols) {
        double[] t = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) t[c * rows + r] = m[r * cols + c];
        }
        return t;
    }
}
