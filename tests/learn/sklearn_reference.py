#!/usr/bin/python3
"""Reference fits with scikit-learn (Debian python3-sklearn; liblinear inside)
for tests/learn/test_sklearn_peer.cpp.

Usage: sklearn_reference.py TASK DATA.csv OUT.json C EPSILON TOL MAX_ITER
  TASK      svc  -> LinearSVC(loss='squared_hinge', dual=True)        (liblinear -s 1)
            svr  -> LinearSVR(loss='squared_epsilon_insensitive', dual=True)  (liblinear -s 12)
  DATA.csv  one sample per line: features..., label (svc: 0/1; svr: real)
Both with fit_intercept=True, intercept_scaling=1 (liblinear -B 1: a bias
feature of value 1 whose weight is regularized), random_state=0.
Writes JSON: coef, intercept, decision (per sample), objective (primal, with
the bias weight regularized), n_iter, accuracy (svc).
"""
import json
import sys
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.svm import LinearSVC, LinearSVR


def main():
    task, data, out, C, eps, tol, max_iter = sys.argv[1:8]
    C, eps, tol, max_iter = float(C), float(eps), float(tol), int(max_iter)
    A = np.loadtxt(data, delimiter=",", ndmin=2)
    X, y = A[:, :-1], A[:, -1]
    warnings.simplefilter("ignore", ConvergenceWarning)
    if task == "svc":
        m = LinearSVC(C=C, loss="squared_hinge", penalty="l2", dual=True, tol=tol, max_iter=max_iter,
                      fit_intercept=True, intercept_scaling=1.0, random_state=0)
        m.fit(X, y.astype(int))
        w, b = m.coef_.ravel(), float(m.intercept_[0])
        f = X @ w + b
        ys = np.where(y > 0, 1.0, -1.0)
        loss = np.maximum(0.0, 1.0 - ys * f) ** 2
        acc = float(np.mean((f > 0) == (y > 0)))
        assert np.allclose(m.decision_function(X), f)
    else:
        m = LinearSVR(C=C, epsilon=eps, loss="squared_epsilon_insensitive", dual=True, tol=tol,
                      max_iter=max_iter, fit_intercept=True, intercept_scaling=1.0, random_state=0)
        m.fit(X, y)
        w, b = m.coef_.ravel(), float(np.ravel(m.intercept_)[0])
        f = X @ w + b
        loss = np.maximum(0.0, np.abs(y - f) - eps) ** 2
        acc = None
    objective = 0.5 * (w @ w + b * b) + C * loss.sum()
    res = {"coef": w.tolist(), "intercept": b, "decision": f.tolist(), "objective": float(objective),
           "n_iter": int(np.max(m.n_iter_)), "accuracy": acc}
    with open(out, "w") as fh:
        json.dump(res, fh)


if __name__ == "__main__":
    main()
