package dev.srr.rank;

import dev.srr.SrrException;

/**
 * Shape and hyper-parameters of the ranker network.
 *
 * @param featureDim   d, the length of every feature vector (the LLM hidden size)
 * @param projDim      p, width of the shared projection and of the encoder layer
 * @param heads        attention heads; must divide {@code projDim}
 * @param ffDim        hidden width of the encoder's feed-forward block
 * @param tau          temperature dividing the cosine scores
 * @param dropout      dropout rate used while training (residual branches and feed-forward hidden layer)
 * @param standardize  whether inputs are standardised per dimension with training-set statistics
 * @param activation   feed-forward non-linearity
 */
public record RankerConfig(int featureDim, int projDim, int heads, int ffDim, double tau, double dropout,
                           boolean standardize, Activation activation) {

    public RankerConfig {
        if (featureDim <= 0) throw new SrrException("ranker: feature dimension must be positive, got " + featureDim);
        if (projDim <= 0) throw new SrrException("ranker: projection dimension must be positive, got " + projDim);
        if (heads <= 0 || projDim % heads != 0) {
            throw new SrrException("ranker: " + heads + " heads do not divide the projection dimension " + projDim);
        }
        if (ffDim <= 0) throw new SrrException("ranker: feed-forward dimension must be positive, got " + ffDim);
        if (!(tau > 0)) throw new SrrException("ranker: tau must be positive, got " + tau);
        if (!(dropout >= 0 && dropout < 1)) throw new SrrException("ranker: dropout must be in [0, 1), got " + dropout);
        if (activation == null) throw new SrrException("ranker: activation missing");
    }

    /** The paper's defaults: p = 256, 4 heads, feed-forward 4p, tau 0.1, dropout 0.1, standardised inputs, GELU. */
    public static RankerConfig defaults(int featureDim) {
        return new RankerConfig(featureDim, 256, 4, 1024, 0.1, 0.1, true, Activation.GELU);
    }

    public RankerConfig withFeatureDim(int d) {
        return new RankerConfig(d, projDim, heads, ffDim, tau, dropout, standardize, activation);
    }

    public RankerConfig withProjection(int p, int heads, int ffDim) {
        return new RankerConfig(featureDim, p, heads, ffDim, tau, dropout, standardize, activation);
    }

    public RankerConfig withDropout(double rate) {
        return new RankerConfig(featureDim, projDim, heads, ffDim, tau, rate, standardize, activation);
    }

    public RankerConfig withStandardize(boolean on) {
        return new RankerConfig(featureDim, projDim, heads, ffDim, tau, dropout, on, activation);
    }

    public RankerConfig withTau(double t) {
        return new RankerConfig(featureDim, projDim, heads, ffDim, t, dropout, standardize, activation);
    }

    public RankerConfig withActivation(Activation a) {
        return new RankerConfig(featureDim, projDim, heads, ffDim, tau, dropout, standardize, a);
    }

    /** Zero-valued parameters with this network's tensor names and shapes, to fill (device checks, conversions). */
    public Parameters zeroParameters() {
        return RankerNetwork.newParameters(this);
    }

    /** Trainable parameters of a network with this shape (standardisation statistics are not trained). */
    public long parameterCount() {
        return RankerNetwork.newParameters(this).count();
    }
}
