package dev.srr.eval;

import de.bwaldvogel.liblinear.Feature;
import de.bwaldvogel.liblinear.FeatureNode;
import de.bwaldvogel.liblinear.Linear;
import de.bwaldvogel.liblinear.Model;
import de.bwaldvogel.liblinear.Parameter;
import de.bwaldvogel.liblinear.Problem;
import de.bwaldvogel.liblinear.SolverType;
import dev.srr.SrrException;

import java.util.List;

/**
 * Binary L2-regularised logistic regression on sparse rows, fitted by LIBLINEAR's primal trust-region Newton solver
 * (the {@code de.bwaldvogel:liblinear} port, solver {@code L2R_LR}). It minimises
 * {@code 0.5 * |w|^2 + C * sum_i log(1 + exp(-y_i (w . x_i + b)))} with y in {-1, +1}; the intercept b is not
 * penalised ({@code regularize_bias = false}, LIBLINEAR 2.40 and later). Deterministic: the solver draws no random
 * numbers. The probability of the positive class is {@code 1 / (1 + exp(-(w . x + b)))}.
 */
public final class LogisticRegression {
    /** One sparse row: ascending 0-based feature indices and their values (same length). */
    public record Row(int[] index, double[] value) {
        public Row {
            if (index.length != value.length) throw new IllegalArgumentException("index and value differ in length");
            for (int i = 1; i < index.length; i++) {
                if (index[i] <= index[i - 1]) throw new IllegalArgumentException("feature indices must ascend, got " + index[i - 1] + ", " + index[i]);
            }
        }
    }

    private final double[] weights;
    private final double bias;

    private LogisticRegression(double[] weights, double bias) {
        this.weights = weights;
        this.bias = bias;
    }

    /**
     * @param rows       the training rows over features 0..features-1
     * @param positive   per row, whether it is of the positive class
     * @param features   the number of features
     * @param c          the loss weight C (> 0); larger means weaker regularisation
     * @param tolerance  LIBLINEAR's stopping tolerance eps (relative gradient norm), e.g. 1e-6
     * @throws SrrException when there are no rows or only one class
     */
    public static LogisticRegression fit(List<Row> rows, boolean[] positive, int features, double c, double tolerance) {
        if (rows.size() != positive.length) throw new IllegalArgumentException("rows and labels differ in length");
        int pos = 0;
        for (boolean p : positive) if (p) pos++;
        if (rows.isEmpty() || pos == 0 || pos == rows.size()) {
            throw new SrrException("logistic regression needs rows of both classes, got " + pos + " positive of " + rows.size());
        }
        if (!(c > 0)) throw new SrrException("logistic regression: C must be greater than 0, got " + c);
        Problem problem = new Problem();
        problem.l = rows.size();
        problem.n = features + 1; // the last feature is the constant 1 that carries the intercept
        problem.bias = 1;
        problem.x = new Feature[rows.size()][];
        problem.y = new double[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            Feature[] x = new Feature[r.index().length + 1];
            for (int k = 0; k < r.index().length; k++) {
                if (r.index()[k] < 0 || r.index()[k] >= features) {
                    throw new IllegalArgumentException("feature index " + r.index()[k] + " outside 0.." + (features - 1));
                }
                x[k] = new FeatureNode(r.index()[k] + 1, r.value()[k]); // LIBLINEAR numbers features from 1
            }
            x[x.length - 1] = new FeatureNode(features + 1, 1.0);
            problem.x[i] = x;
            problem.y[i] = positive[i] ? 1 : -1;
        }
        Parameter parameter = new Parameter(SolverType.L2R_LR, c, tolerance);
        parameter.setRegularizeBias(false);
        Model model;
        synchronized (Linear.class) { // the port's debug output switch is global
            Linear.disableDebugOutput();
            model = Linear.train(problem, parameter);
        }
        double[] w = model.getFeatureWeights();
        // LIBLINEAR orders a binary model's weights by its first-seen label: flip them when that was the negative class
        double sign = model.getLabels()[0] == 1 ? 1 : -1;
        double[] weights = new double[features];
        for (int j = 0; j < features; j++) weights[j] = sign * w[j];
        return new LogisticRegression(weights, sign * w[features]);
    }

    /** The linear score w . x + b (log-odds of the positive class). */
    public double decision(Row row) {
        double s = bias;
        for (int k = 0; k < row.index().length; k++) {
            int j = row.index()[k];
            if (j >= 0 && j < weights.length) s += weights[j] * row.value()[k];
        }
        return s;
    }

    /** P(positive | row), the logistic function of {@link #decision}. */
    public double probability(Row row) {
        return 1 / (1 + Math.exp(-decision(row)));
    }

    /** A copy of the feature weights w. */
    public double[] weights() {
        return weights.clone();
    }

    /** The intercept b. */
    public double bias() {
        return bias;
    }
}
