package dev.srr.rank;

/** Adam with decoupled weight decay (Loshchilov & Hutter), applied to the parameters marked for decay. */
final class AdamW {
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPS = 1e-8;

    private final Parameters params;
    private final Parameters m;
    private final Parameters v;
    private final double lr;
    private final double weightDecay;
    private int step;

    AdamW(Parameters params, double lr, double weightDecay) {
        this.params = params;
        this.m = params.zerosLike();
        this.v = params.zerosLike();
        this.lr = lr;
        this.weightDecay = weightDecay;
    }

    void step(Parameters grads) {
        step++;
        double c1 = 1 - Math.pow(BETA1, step);
        double c2 = 1 - Math.pow(BETA2, step);
        for (Parameters.Param p : params.all()) {
            double[] w = p.values();
            double[] g = grads.get(p.name());
            double[] mm = m.get(p.name());
            double[] vv = v.get(p.name());
            double decay = p.decay() ? weightDecay : 0;
            for (int i = 0; i < w.length; i++) {
                mm[i] = BETA1 * mm[i] + (1 - BETA1) * g[i];
                vv[i] = BETA2 * vv[i] + (1 - BETA2) * g[i] * g[i];
                double update = (mm[i] / c1) / (Math.sqrt(vv[i] / c2) + EPS);
                w[i] -= lr * (update + decay * w[i]);
            }
        }
    }
}
