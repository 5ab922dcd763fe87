package dev.srr.rank;

/**
 * Candidate scores {@code s_i = cos(o_x, o_i) / tau}: the instruction row of each list against each of its
 * candidate rows. Norms are floored at 1e-12 so an all-zero row scores 0 instead of NaN.
 */
final class CosineScores {
    private static final double MIN_NORM = 1e-12;

    private CosineScores() {
    }

    static double[][] forward(double[] u, Segments seg, int p, double tau) {
        double[][] scores = new double[seg.count()][];
        for (int l = 0; l < seg.count(); l++) {
            int x = seg.offset(l) * p;
            double nx = norm(u, x, p);
            int m = seg.length(l) - 1;
            double[] s = new double[m];
            for (int i = 0; i < m; i++) {
                int y = (seg.offset(l) + 1 + i) * p;
                s[i] = dot(u, x, y, p) / (nx * norm(u, y, p)) / tau;
            }
            scores[l] = s;
        }
        return scores;
    }

    static double[] backward(double[] u, double[][] dScores, Segments seg, int p, double tau) {
        double[] du = new double[u.length];
        for (int l = 0; l < seg.count(); l++) {
            int x = seg.offset(l) * p;
            double nx = norm(u, x, p);
            int m = seg.length(l) - 1;
            for (int i = 0; i < m; i++) {
                double g = dScores[l][i] / tau;
                if (g == 0) continue;
                int y = (seg.offset(l) + 1 + i) * p;
                double ny = norm(u, y, p);
                double cos = dot(u, x, y, p) / (nx * ny);
                double inv = 1.0 / (nx * ny);
                double cx = cos / (nx * nx);
                double cy = cos / (ny * ny);
                for (int c = 0; c < p; c++) {
                    du[x + c] += g * (u[y + c] * inv - cx * u[x + c]);
                    du[y + c] += g * (u[x + c] * inv - cy * u[y + c]);
                }
            }
        }
        return du;
    }

    private static double dot(double[] u, int a, int b, int p) {
        double s = 0;
        for (int c = 0; c < p; c++) s += u[a + c] * u[b + c];
        return s;
    }

    private static double norm(double[] u, int a, int p) {
        return Math.max(Math.sqrt(dot(u, a, a, p)), MIN_NORM);
    }
}
