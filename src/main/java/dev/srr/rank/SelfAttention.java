package dev.srr.rank;

/**
 * Multi-head scaled dot-product attention inside each list (no mask, no positions): every token of a list
 * attends to every token of the same list, never across lists. The input holds the projected
 * {@code [q | k | v]} per row ({@code 3p} wide); the output is the concatenated heads ({@code p} wide).
 */
final class SelfAttention {
    private SelfAttention() {
    }

    /** Attention weights per list: {@code weights[list][head * n * n + a * n + b]}. */
    record Cache(double[][] weights) {
    }

    static double[] forward(double[] qkv, Segments seg, int p, int heads, Cache[] cacheOut) {
        int dh = p / heads;
        double scale = 1.0 / Math.sqrt(dh);
        int w3 = 3 * p;
        double[] ctx = new double[seg.rows() * p];
        double[][] weights = new double[seg.count()][];
        for (int l = 0; l < seg.count(); l++) {
            int base = seg.offset(l);
            int n = seg.length(l);
            double[] a = new double[heads * n * n];
            for (int h = 0; h < heads; h++) {
                int qo = h * dh;
                int ko = p + h * dh;
                int vo = 2 * p + h * dh;
                for (int i = 0; i < n; i++) {
                    int ai = h * n * n + i * n;
                    int qi = (base + i) * w3 + qo;
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < n; j++) {
                        int kj = (base + j) * w3 + ko;
                        double s = 0;
                        for (int c = 0; c < dh; c++) s += qkv[qi + c] * qkv[kj + c];
                        s *= scale;
                        a[ai + j] = s;
                        if (s > max) max = s;
                    }
                    double sum = 0;
                    for (int j = 0; j < n; j++) {
                        double e = Math.exp(a[ai + j] - max);
                        a[ai + j] = e;
                        sum += e;
                    }
                    int co = (base + i) * p + h * dh;
                    for (int j = 0; j < n; j++) {
                        double wgt = a[ai + j] / sum;
                        a[ai + j] = wgt;
                        int vj = (base + j) * w3 + vo;
                        for (int c = 0; c < dh; c++) ctx[co + c] += wgt * qkv[vj + c];
                    }
                }
            }
            weights[l] = a;
        }
        cacheOut[0] = new Cache(weights);
        return ctx;
    }

    /** Returns d[q | k | v] given d(context). */
    static double[] backward(double[] qkv, double[] dctx, Cache cache, Segments seg, int p, int heads) {
        int dh = p / heads;
        double scale = 1.0 / Math.sqrt(dh);
        int w3 = 3 * p;
        double[] dqkv = new double[seg.rows() * w3];
        double[] dA = new double[0];
        for (int l = 0; l < seg.count(); l++) {
            int base = seg.offset(l);
            int n = seg.length(l);
            double[] a = cache.weights[l];
            if (dA.length < n) dA = new double[n];
            for (int h = 0; h < heads; h++) {
                int qo = h * dh;
                int ko = p + h * dh;
                int vo = 2 * p + h * dh;
                for (int i = 0; i < n; i++) {
                    int ai = h * n * n + i * n;
                    int co = (base + i) * p + h * dh;
                    // dA[j] = dctx_i . v_j, and dv_j += A[i][j] dctx_i
                    double dot = 0;
                    for (int j = 0; j < n; j++) {
                        int vj = (base + j) * w3 + vo;
                        double wgt = a[ai + j];
                        double s = 0;
                        for (int c = 0; c < dh; c++) {
                            s += dctx[co + c] * qkv[vj + c];
                            dqkv[vj + c] += wgt * dctx[co + c];
                        }
                        dA[j] = s;
                        dot += wgt * s;
                    }
                    // softmax backward, then the scaled dot product
                    int qi = (base + i) * w3 + qo;
                    for (int j = 0; j < n; j++) {
                        double ds = a[ai + j] * (dA[j] - dot) * scale;
                        int kj = (base + j) * w3 + ko;
                        for (int c = 0; c < dh; c++) {
                            dqkv[qi + c] += ds * qkv[kj + c];
                            dqkv[kj + c] += ds * qkv[qi + c];
                        }
                    }
                }
            }
        }
        return dqkv;
    }
}
