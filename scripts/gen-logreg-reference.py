#!/usr/bin/env python3
"""Reference for LogisticRegressionTest: the minimiser of
    0.5 * |w|^2 + C * sum_i log(1 + exp(-y_i (w . x_i + b)))      (b not penalised)
on a small random problem, found by Newton's method in float64 with numpy (an implementation independent of
LIBLINEAR's trust-region solver). Writes src/test/resources/dev/srr/eval/logreg-reference.json.
Run: /work/pyref/bin/python scripts/gen-logreg-reference.py   (numpy only)"""
import json
import pathlib

import numpy as np

rng = np.random.default_rng(20261129)
n, d = 40, 6
X = rng.normal(size=(n, d))
X[rng.random(size=(n, d)) < 0.4] = 0.0           # sparse-ish rows, as bag-of-words rows are
true_w = np.array([1.5, -2.0, 0.0, 0.7, 0.0, -0.4])
y = np.where(X @ true_w + 0.3 + rng.normal(scale=0.8, size=n) > 0, 1.0, -1.0)
C = 0.7

A = np.hstack([X, np.ones((n, 1))])              # last column: the intercept
P = np.diag([1.0] * d + [0.0])                   # the intercept is not penalised
theta = np.zeros(d + 1)
for _ in range(100):
    z = y * (A @ theta)
    s = 1 / (1 + np.exp(z))                       # sigma(-z)
    grad = P @ theta - C * A.T @ (y * s)
    hess = P + C * (A.T * (s * (1 - s))) @ A
    step = np.linalg.solve(hess, grad)
    theta -= step
    if np.linalg.norm(step) < 1e-14:
        break
assert np.linalg.norm(P @ theta - C * A.T @ (y / (1 + np.exp(y * (A @ theta))))) < 1e-10

out = {
    "_doc": "minimiser of 0.5|w|^2 + C sum log(1+exp(-y(w.x+b))), b unpenalised; Newton's method in numpy (scripts/gen-logreg-reference.py)",
    "C": C,
    "x": X.tolist(),
    "y": y.tolist(),
    "w": theta[:d].tolist(),
    "b": float(theta[d]),
    "probability": (1 / (1 + np.exp(-(A @ theta)))).tolist(),
}
path = pathlib.Path(__file__).resolve().parent.parent / "src/test/resources/dev/srr/eval/logreg-reference.json"
path.write_text(json.dumps(out, indent=1) + "\n")
print("wrote", path)
