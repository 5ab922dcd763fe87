package dev.srr.rank;

/** Layer normalisation over each row (width {@code p}) with a learned gain and bias. */
final class LayerNorm {
    static final double EPS = 1e-5;

    private LayerNorm() {
    }

    /** What the backward pass needs: the normalised rows and each row's 1/std. */
    record Cache(double[] xhat, double[] rstd) {
    }

    static double[] forward(double[] x, int rows, int p, double[] gain, double[] bias, Cache[] cacheOut) {
        double[] y = new double[rows * p];
        double[] xhat = new double[rows * p];
        double[] rstd = new double[rows];
        for (int t = 0; t < rows; t++) {
            int o = t * p;
            double mean = 0;
            for (int j = 0; j < p; j++) mean += x[o + j];
            mean /= p;
            double var = 0;
            for (int j = 0; j < p; j++) {
                double c = x[o + j] - mean;
                var += c * c;
            }
            var /= p;
            double r = 1.0 / Math.sqrt(var + EPS);
            rstd[t] = r;
            for (int j = 0; j < p; j++) {
                double h = (x[o + j] - mean) * r;
                xhat[o + j] = h;
                y[o + j] = gain[j] * h + bias[j];
            }
        }
        cacheOut[0] = new Cache(xhat, rstd);
        return y;
    }

    /** Accumulates gain and bias gradients and returns dx. */
    static double[] backward(Cache cache, double[] dy, int rows, int p, double[] gain, double[] dgain, double[] dbias) {
        double[] dx = new double[rows * p];
        double[] dxhat = new double[p];
        for (int t = 0; t < rows; t++) {
            int o = t * p;
            double meanD = 0;
            double meanDX = 0;
            for (int j = 0; j < p; j++) {
                double g = dy[o + j];
                double h = cache.xhat[o + j];
                dgain[j] += g * h;
                dbias[j] += g;
                double d = g * gain[j];
                dxhat[j] = d;
                meanD += d;
                meanDX += d * h;
            }
            meanD /= p;
            meanDX /= p;
            double r = cache.rstd[t];
            for (int j = 0; j < p; j++) dx[o + j] = r * (dxhat[j] - meanD - cache.xhat[o + j] * meanDX);
        }
        return dx;
    }
}
