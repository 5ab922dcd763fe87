package dev.srr.rank;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static dev.srr.rank.GradientCheck.check;
import static dev.srr.rank.GradientCheck.dot;
import static dev.srr.rank.GradientCheck.random;

/**
 * Every operation's hand-written backward pass against finite differences: each test contracts the op's
 * output with a fixed random vector r and checks d(r . op(x)) for every input and parameter entry.
 */
class GradientCheckTest {
    private final Random rng = new Random(7);

    @Test
    void linearGradientsMatchFiniteDifferences() {
        int rows = 3, in = 5, out = 4;
        double[] x = random(rng, rows * in, 1);
        double[] w = random(rng, in * out, 1);
        double[] b = random(rng, out, 1);
        double[] r = random(rng, rows * out, 1);
        double[] dw = new double[w.length];
        double[] db = new double[b.length];
        double[] dx = Linear.backward(x, r, rows, in, out, w, dw, db, true);
        check("linear dx", x, dx, v -> dot(r, Linear.forward(v, rows, in, out, w, b)));
        check("linear dW", w, dw, v -> dot(r, Linear.forward(x, rows, in, out, v, b)));
        check("linear db", b, db, v -> dot(r, Linear.forward(x, rows, in, out, w, v)));
    }

    @Test
    void layerNormGradientsMatchFiniteDifferences() {
        int rows = 3, p = 6;
        double[] x = random(rng, rows * p, 2);
        double[] g = random(rng, p, 1);
        double[] b = random(rng, p, 1);
        double[] r = random(rng, rows * p, 1);
        LayerNorm.Cache[] c = new LayerNorm.Cache[1];
        LayerNorm.forward(x, rows, p, g, b, c);
        double[] dg = new double[p];
        double[] db = new double[p];
        double[] dx = LayerNorm.backward(c[0], r, rows, p, g, dg, db);
        LayerNorm.Cache[] scratch = new LayerNorm.Cache[1];
        check("layernorm dx", x, dx, v -> dot(r, LayerNorm.forward(v, rows, p, g, b, scratch)));
        check("layernorm dgain", g, dg, v -> dot(r, LayerNorm.forward(x, rows, p, v, b, scratch)));
        check("layernorm dbias", b, db, v -> dot(r, LayerNorm.forward(x, rows, p, g, v, scratch)));
    }

    @Test
    void multiHeadSelfAttentionGradientsMatchFiniteDifferences() {
        Segments seg = Segments.of(4, 3);
        int p = 6, heads = 2;
        double[] qkv = random(rng, seg.rows() * 3 * p, 1);
        double[] r = random(rng, seg.rows() * p, 1);
        SelfAttention.Cache[] c = new SelfAttention.Cache[1];
        SelfAttention.forward(qkv, seg, p, heads, c);
        double[] dqkv = SelfAttention.backward(qkv, r, c[0], seg, p, heads);
        SelfAttention.Cache[] scratch = new SelfAttention.Cache[1];
        check("attention d[q|k|v]", qkv, dqkv, v -> dot(r, SelfAttention.forward(v, seg, p, heads, scratch)));
    }

    @Test
    void geluGradientMatchesFiniteDifferences() {
        double[] x = random(rng, 40, 2);
        double[] r = random(rng, 40, 1);
        check("gelu", x, Activation.GELU.backward(x, r), v -> dot(r, Activation.GELU.forward(v)));
    }

    @Test
    void reluGradientMatchesFiniteDifferencesAwayFromTheKink() {
        double[] x = random(rng, 40, 2);
        for (int i = 0; i < x.length; i++) if (Math.abs(x[i]) < 1e-3) x[i] = 0.5;
        double[] r = random(rng, 40, 1);
        check("relu", x, Activation.RELU.backward(x, r), v -> dot(r, Activation.RELU.forward(v)));
    }

    @Test
    void dropoutGradientMatchesFiniteDifferencesForAFixedMask() {
        double[] x = random(rng, 50, 1);
        double[] r = random(rng, 50, 1);
        double[] mask = Dropout.mask(50, 0.3, new Random(3));
        check("dropout", x, Dropout.apply(r, mask), v -> dot(r, Dropout.apply(v, mask)));
    }

    @Test
    void cosineScoresGradientMatchesFiniteDifferences() {
        Segments seg = Segments.of(4, 3);
        int p = 5;
        double tau = 0.1;
        double[] u = random(rng, seg.rows() * p, 1);
        double[][] r = {random(rng, 3, 1), random(rng, 2, 1)};
        double[] du = CosineScores.backward(u, r, seg, p, tau);
        check("cosine / tau", u, du, v -> {
            double[][] s = CosineScores.forward(v, seg, p, tau);
            return dot(r[0], s[0]) + dot(r[1], s[1]);
        });
    }

    @Test
    void listwiseKlGradientMatchesFiniteDifferences() {
        double[] scores = random(rng, 6, 3);
        double[] target = ListwiseLoss.target(new boolean[]{true, false, true, false, false, true});
        double[] g = ListwiseLoss.gradient(scores, target, 1.0);
        check("log-softmax KL", scores, g, v -> ListwiseLoss.loss(v, target));
    }

    @Test
    void wholeRankerGradientMatchesFiniteDifferencesWithDropoutOn() {
        for (Activation act : Activation.values()) {
            RankerConfig cfg = new RankerConfig(7, 8, 2, 12, 0.5, 0.2, true, act);
            Parameters params = RankerNetwork.initialParameters(cfg, new Random(11));
            // a non-trivial type embedding and norm parameters, so their gradients are exercised
            for (Parameters.Param pr : params.all()) {
                double[] v = pr.values();
                for (int i = 0; i < v.length; i++) v[i] += 0.3 * rng.nextGaussian();
            }
            RankerNetwork net = new RankerNetwork(cfg, params);
            Segments seg = Segments.of(5, 3, 4);
            double[] z = random(rng, seg.rows() * cfg.featureDim(), 1);
            boolean[][] safe = {{true, false, false, true}, {false, true}, {true, false, true}};
            long dropSeed = 99;

            Parameters grads = params.zerosLike();
            RankerNetwork.Pass pass = net.forward(z, seg, new Random(dropSeed));
            double[][] ds = new double[seg.count()][];
            for (int l = 0; l < seg.count(); l++) {
                ds[l] = ListwiseLoss.gradient(pass.scores()[l], ListwiseLoss.target(safe[l]), 1.0 / seg.count());
            }
            net.backward(pass, ds, grads);

            for (Parameters.Param pr : params.all()) {
                check("ranker(" + act + ") " + pr.name(), pr.values(), grads.get(pr.name()), v -> {
                    double[][] s = net.forward(z, seg, new Random(dropSeed)).scores();
                    double loss = 0;
                    for (int l = 0; l < s.length; l++) loss += ListwiseLoss.loss(s[l], ListwiseLoss.target(safe[l]));
                    return loss / s.length;
                });
            }
        }
    }
}
