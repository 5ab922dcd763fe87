package dev.srr.rank;

/**
 * The listwise objective: {@code KL(p* || softmax(s))} where {@code p*} puts {@code 1/k} on each of the
 * {@code k} safe candidates and 0 elsewhere. Its gradient with respect to the scores is {@code softmax(s) - p*}.
 */
final class ListwiseLoss {
    private ListwiseLoss() {
    }

    /** The target distribution: uniform over the candidates marked safe. Needs at least one. */
    static double[] target(boolean[] safe) {
        int k = 0;
        for (boolean b : safe) if (b) k++;
        if (k == 0) throw new IllegalArgumentException("a training list needs a safe candidate");
        double[] t = new double[safe.length];
        for (int i = 0; i < safe.length; i++) t[i] = safe[i] ? 1.0 / k : 0.0;
        return t;
    }

    static double[] logSoftmax(double[] s) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : s) max = Math.max(max, v);
        double sum = 0;
        for (double v : s) sum += Math.exp(v - max);
        double lse = max + Math.log(sum);
        double[] out = new double[s.length];
        for (int i = 0; i < s.length; i++) out[i] = s[i] - lse;
        return out;
    }

    static double loss(double[] scores, double[] target) {
        double[] logp = logSoftmax(scores);
        double kl = 0;
        for (int i = 0; i < scores.length; i++) {
            if (target[i] > 0) kl += target[i] * (Math.log(target[i]) - logp[i]);
        }
        return kl;
    }

    /** d loss / d scores, times {@code weight} (1/batch size when averaging). */
    static double[] gradient(double[] scores, double[] target, double weight) {
        double[] logp = logSoftmax(scores);
        double[] g = new double[scores.length];
        for (int i = 0; i < scores.length; i++) g[i] = (Math.exp(logp[i]) - target[i]) * weight;
        return g;
    }
}
