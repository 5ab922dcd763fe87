package dev.srr.rank;

import java.util.List;
import java.util.Random;

/**
 * The ranker's forward and backward passes over a batch of lists, in double precision.
 *
 * <pre>
 * h0 = z W_in + b_in + E[type]              shared projection d -> p, type 0 = instruction, 1 = response
 * h1 = h0 + drop(Attn(LN1(h0)) W_o + b_o)   pre-norm multi-head self-attention inside each list
 * u  = h1 + drop(act_drop(LN2(h1) W_1 + b_1) W_2 + b_2)
 * s_i = cos(u_x, u_i) / tau
 * </pre>
 * There is no position embedding, so permuting a list's candidates permutes its scores and nothing else.
 * Token-wise layers run on all rows of the batch at once; attention and scoring run per list.
 */
final class RankerNetwork {
    static final String PROJ_W = "proj.weight";
    static final String PROJ_B = "proj.bias";
    static final String TYPE = "type_embedding";
    static final String LN1_G = "ln1.gain";
    static final String LN1_B = "ln1.bias";
    static final String QKV_W = "attn.qkv.weight";
    static final String QKV_B = "attn.qkv.bias";
    static final String OUT_W = "attn.out.weight";
    static final String OUT_B = "attn.out.bias";
    static final String LN2_G = "ln2.gain";
    static final String LN2_B = "ln2.bias";
    static final String FF1_W = "ff.in.weight";
    static final String FF1_B = "ff.in.bias";
    static final String FF2_W = "ff.out.weight";
    static final String FF2_B = "ff.out.bias";

    private final RankerConfig cfg;
    private final Parameters params;

    RankerNetwork(RankerConfig cfg, Parameters params) {
        this.cfg = cfg;
        this.params = params;
    }

    RankerConfig config() {
        return cfg;
    }

    Parameters parameters() {
        return params;
    }

    /** Zero-valued parameters with this configuration's names and shapes. */
    /** One trainable tensor of the network: its name, shape (as longs, so no product wraps) and weight decay. */
    record ParamSpec(String name, boolean decay, long... shape) {
        long size() {
            long n = 1;
            for (long d : shape) n *= d;
            return n;
        }
    }

    /** The network's tensors for config {@code c}, in checkpoint order, without allocating any of them. */
    static List<ParamSpec> layout(RankerConfig c) {
        long d = c.featureDim();
        long p = c.projDim();
        long f = c.ffDim();
        return List.of(
                new ParamSpec(PROJ_W, true, d, p),
                new ParamSpec(PROJ_B, false, p),
                new ParamSpec(TYPE, false, 2, p),
                new ParamSpec(LN1_G, false, p),
                new ParamSpec(LN1_B, false, p),
                new ParamSpec(QKV_W, true, p, 3 * p),
                new ParamSpec(QKV_B, false, 3 * p),
                new ParamSpec(OUT_W, true, p, p),
                new ParamSpec(OUT_B, false, p),
                new ParamSpec(LN2_G, false, p),
                new ParamSpec(LN2_B, false, p),
                new ParamSpec(FF1_W, true, p, f),
                new ParamSpec(FF1_B, false, f),
                new ParamSpec(FF2_W, true, f, p),
                new ParamSpec(FF2_B, false, p));
    }

    static Parameters newParameters(RankerConfig c) {
        Parameters ps = new Parameters();
        for (ParamSpec spec : layout(c)) {
            int[] shape = new int[spec.shape().length];
            for (int i = 0; i < shape.length; i++) shape[i] = Math.toIntExact(spec.shape()[i]);
            ps.add(spec.name(), spec.decay(), shape);
        }
        return ps;
    }

    /** Fresh parameters: weight matrices N(0, 1/fan_in), biases 0, norm gains 1, type embedding N(0, 0.02^2). */
    static Parameters initialParameters(RankerConfig c, Random rng) {
        Parameters ps = newParameters(c);
        for (Parameters.Param param : ps.all()) {
            double[] v = param.values();
            if (param.name().endsWith(".gain")) {
                java.util.Arrays.fill(v, 1.0);
            } else if (param.name().equals(TYPE)) {
                for (int i = 0; i < v.length; i++) v[i] = 0.02 * rng.nextGaussian();
            } else if (param.shape().length == 2) {
                double std = 1.0 / Math.sqrt(param.shape()[0]);
                for (int i = 0; i < v.length; i++) v[i] = std * rng.nextGaussian();
            }
        }
        return ps;
    }

    /** Everything the backward pass needs, plus the scores. */
    static final class Pass {
        final Segments seg;
        final double[] z;
        double[] h0;
        double[] a1;
        LayerNorm.Cache ln1;
        double[] qkv;
        SelfAttention.Cache attn;
        double[] ctx;
        double[] dropAttn;
        double[] h1;
        double[] a2;
        LayerNorm.Cache ln2;
        double[] f1;
        double[] dropHidden;
        double[] g;
        double[] dropFf;
        double[] u;
        double[][] scores;

        Pass(Segments seg, double[] z) {
            this.seg = seg;
            this.z = z;
        }

        double[][] scores() {
            return scores;
        }
    }

    /**
     * Runs the network on standardised inputs {@code z} ({@code seg.rows() x d}); {@code dropoutRng} null
     * means inference (no dropout).
     */
    Pass forward(double[] z, Segments seg, Random dropoutRng) {
        int d = cfg.featureDim();
        int p = cfg.projDim();
        int f = cfg.ffDim();
        int n = seg.rows();
        double rate = dropoutRng == null ? 0 : cfg.dropout();
        Pass s = new Pass(seg, z);

        s.h0 = Linear.forward(z, n, d, p, params.get(PROJ_W), params.get(PROJ_B));
        double[] type = params.get(TYPE);
        for (int l = 0; l < seg.count(); l++) {
            for (int r = 0; r < seg.length(l); r++) {
                int row = (seg.offset(l) + r) * p;
                int t = r == 0 ? 0 : p;
                for (int c = 0; c < p; c++) s.h0[row + c] += type[t + c];
            }
        }

        LayerNorm.Cache[] lc = new LayerNorm.Cache[1];
        s.a1 = LayerNorm.forward(s.h0, n, p, params.get(LN1_G), params.get(LN1_B), lc);
        s.ln1 = lc[0];
        s.qkv = Linear.forward(s.a1, n, p, 3 * p, params.get(QKV_W), params.get(QKV_B));
        SelfAttention.Cache[] ac = new SelfAttention.Cache[1];
        s.ctx = SelfAttention.forward(s.qkv, seg, p, cfg.heads(), ac);
        s.attn = ac[0];
        double[] o = Linear.forward(s.ctx, n, p, p, params.get(OUT_W), params.get(OUT_B));
        s.dropAttn = Dropout.mask(o.length, rate, dropoutRng);
        o = Dropout.apply(o, s.dropAttn);
        s.h1 = add(s.h0, o);

        s.a2 = LayerNorm.forward(s.h1, n, p, params.get(LN2_G), params.get(LN2_B), lc);
        s.ln2 = lc[0];
        s.f1 = Linear.forward(s.a2, n, p, f, params.get(FF1_W), params.get(FF1_B));
        s.dropHidden = Dropout.mask(s.f1.length, rate, dropoutRng);
        s.g = Dropout.apply(cfg.activation().forward(s.f1), s.dropHidden);
        double[] f2 = Linear.forward(s.g, n, f, p, params.get(FF2_W), params.get(FF2_B));
        s.dropFf = Dropout.mask(f2.length, rate, dropoutRng);
        f2 = Dropout.apply(f2, s.dropFf);
        s.u = add(s.h1, f2);

        s.scores = CosineScores.forward(s.u, seg, p, cfg.tau());
        return s;
    }

    /** Accumulates into {@code grads} the gradient of {@code sum_l dScores[l] . scores[l]}. */
    void backward(Pass s, double[][] dScores, Parameters grads) {
        int d = cfg.featureDim();
        int p = cfg.projDim();
        int f = cfg.ffDim();
        Segments seg = s.seg;
        int n = seg.rows();

        double[] du = CosineScores.backward(s.u, dScores, seg, p, cfg.tau());
        // u = h1 + drop(ff): the residual passes du through unchanged
        double[] df2 = Dropout.apply(du, s.dropFf);
        double[] dg = Linear.backward(s.g, df2, n, f, p, params.get(FF2_W), grads.get(FF2_W), grads.get(FF2_B), true);
        double[] df1 = cfg.activation().backward(s.f1, Dropout.apply(dg, s.dropHidden));
        double[] da2 = Linear.backward(s.a2, df1, n, p, f, params.get(FF1_W), grads.get(FF1_W), grads.get(FF1_B), true);
        double[] dh1 = add(du, LayerNorm.backward(s.ln2, da2, n, p, params.get(LN2_G), grads.get(LN2_G), grads.get(LN2_B)));

        double[] dout = Dropout.apply(dh1, s.dropAttn);
        double[] dctx = Linear.backward(s.ctx, dout, n, p, p, params.get(OUT_W), grads.get(OUT_W), grads.get(OUT_B), true);
        double[] dqkv = SelfAttention.backward(s.qkv, dctx, s.attn, seg, p, cfg.heads());
        double[] da1 = Linear.backward(s.a1, dqkv, n, p, 3 * p, params.get(QKV_W), grads.get(QKV_W), grads.get(QKV_B), true);
        double[] dh0 = add(dh1, LayerNorm.backward(s.ln1, da1, n, p, params.get(LN1_G), grads.get(LN1_G), grads.get(LN1_B)));

        double[] dtype = grads.get(TYPE);
        for (int l = 0; l < seg.count(); l++) {
            for (int r = 0; r < seg.length(l); r++) {
                int row = (seg.offset(l) + r) * p;
                int t = r == 0 ? 0 : p;
                for (int c = 0; c < p; c++) dtype[t + c] += dh0[row + c];
            }
        }
        Linear.backward(s.z, dh0, n, d, p, params.get(PROJ_W), grads.get(PROJ_W), grads.get(PROJ_B), false);
    }

    private static double[] add(double[] a, double[] b) {
        double[] y = new double[a.length];
        for (int i = 0; i < a.length; i++) y[i] = a[i] + b[i];
        return y;
    }
}
