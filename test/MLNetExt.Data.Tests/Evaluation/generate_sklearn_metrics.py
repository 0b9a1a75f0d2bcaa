"""Reference values for the Evaluate tests, from scikit-learn (Debian's python3-sklearn).

Run with /usr/bin/python3 from this folder; writes sklearn_metrics.json next to this script. Inputs are stored as
float32 values (what the C# side reads), and every reference is computed from exactly those values.

Where ML.NET defines a metric differently from scikit-learn, the JSON holds scikit-learn's number and the test
checks the documented relation:
- binary LogLoss and Entropy are in bits: ML.NET = sklearn log_loss / ln 2;
- binary AreaUnderPrecisionRecallCurve is the trapezoidal area under precision_recall_curve (without tied
  scores), not average_precision_score, which is stored too, to show that it differs;
- multiclass MacroAccuracy is balanced_accuracy_score (mean recall over the classes present);
- LogLossReduction = 1 - log_loss / log_loss(prior), the prior predicting the test set's label frequencies.
"""
import json
import math
import os

import numpy as np
from sklearn.metrics import (accuracy_score, auc, average_precision_score, balanced_accuracy_score, confusion_matrix,
                             f1_score, log_loss, mean_absolute_error, mean_squared_error, precision_recall_curve,
                             precision_score, r2_score, recall_score, roc_auc_score, top_k_accuracy_score)

rng = np.random.default_rng(20240601)


def f32(values):
    """The float32 values, as float64 numbers that print and parse back exactly."""
    return np.asarray(values, dtype=np.float32).astype(np.float64)


def binary_case(n, tie_step=None):
    y = np.zeros(n, dtype=bool)
    y[rng.permutation(n)[: n * 2 // 5]] = True
    raw = rng.normal(0.0, 1.5, n) + 1.3 * y
    if tie_step is not None:
        raw = np.round(raw / tie_step) * tie_step
    score = f32(raw)
    probability = f32(1.0 / (1.0 + np.exp(-score)))
    predicted = score > 0
    precision, recall, _ = precision_recall_curve(y, score)
    prior = np.full(n, y.mean())
    return {
        "label": y.tolist(),
        "score": score.tolist(),
        "probability": probability.tolist(),
        "expected": {
            "accuracy": accuracy_score(y, predicted),
            "roc_auc": roc_auc_score(y, score),
            "f1": f1_score(y, predicted),
            "positive_precision": precision_score(y, predicted),
            "positive_recall": recall_score(y, predicted),
            "negative_precision": precision_score(y, predicted, pos_label=False),
            "negative_recall": recall_score(y, predicted, pos_label=False),
            "log_loss_nats": log_loss(y, probability),
            "prior_log_loss_nats": log_loss(y, prior),
            "pr_curve_trapezoid": auc(recall, precision),
            "average_precision": average_precision_score(y, score),
            "confusion_positive_first": confusion_matrix(y, predicted, labels=[True, False]).tolist(),
        },
    }


def multiclass_case(n, classes):
    y = rng.choice(classes, size=n, p=[0.4, 0.3, 0.2, 0.1])
    logits = rng.normal(0.0, 1.0, (n, classes)) + 1.5 * np.eye(classes)[y]
    softmax = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    score = f32(softmax)
    predicted = score.argmax(axis=1)
    labels = list(range(classes))
    frequencies = np.bincount(y, minlength=classes) / n
    return {
        "label": y.tolist(),
        "score": score.tolist(),
        "expected": {
            "accuracy": accuracy_score(y, predicted),
            "balanced_accuracy": balanced_accuracy_score(y, predicted),
            "log_loss": log_loss(y, score, labels=labels),
            "prior_log_loss": log_loss(y, np.tile(frequencies, (n, 1)), labels=labels),
            "top_k_accuracy": [top_k_accuracy_score(y, score, k=k, labels=labels) for k in range(1, classes)],
            "per_class_log_loss": [log_loss(y[y == c], score[y == c], labels=labels) for c in labels],
            "confusion": confusion_matrix(y, predicted, labels=labels).tolist(),
        },
    }


def regression_case(n):
    label = f32(rng.normal(5.0, 2.0, n))
    score = f32(label + rng.normal(0.0, 0.8, n))
    return {
        "label": label.tolist(),
        "score": score.tolist(),
        "expected": {
            "mae": mean_absolute_error(label, score),
            "mse": mean_squared_error(label, score),
            "r2": r2_score(label, score),
        },
    }


def detection_rate(y, score, false_positive_count):
    """Anomalies found from the top score down before the (k+1)-th normal row, over all anomalies."""
    found = false_positives = 0
    for row in np.argsort(-score, kind="stable"):
        if y[row]:
            found += 1
        else:
            false_positives += 1
            if false_positives > false_positive_count:
                break
    return found / y.sum()


def anomaly_case(n):
    y = np.zeros(n, dtype=bool)
    y[rng.permutation(n)[:8]] = True
    score = f32(rng.normal(0.0, 1.0, n) + 1.8 * y)
    return {
        "label": y.tolist(),
        "score": score.tolist(),
        "expected": {
            "roc_auc": roc_auc_score(y, score),
            "detection_rate_at_3": detection_rate(y, score, 3),
            "detection_rate_at_10": detection_rate(y, score, 10),
        },
    }


cases = {
    "binary": binary_case(40),
    "binary_ties": binary_case(40, tie_step=0.5),
    "multiclass": multiclass_case(60, 4),
    "regression": regression_case(30),
    "anomaly": anomaly_case(50),
}
assert len(set(cases["binary"]["score"])) == 40, "the binary case must have no tied scores"
assert len(set(cases["binary_ties"]["score"])) < 30, "the ties case must have tied scores"
cases["meta"] = {"sklearn": __import__("sklearn").__version__, "numpy": np.__version__, "ln2": math.log(2)}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sklearn_metrics.json")
with open(path, "w") as f:
    json.dump(cases, f, indent=1)
    f.write("\n")
print("wrote", path)
