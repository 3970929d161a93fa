"""Golden values for Vigil's score-based classification metrics and confusion matrix.

Computes every expected value with scikit-learn and writes test/golden/quality_extra.json,
which test/unit/stats/binary-scores-golden.test.ts compares to 1e-9.
Run: python3 test/golden/quality_extra.py  (tested with scikit-learn 1.9.1, NumPy 2.4.6).
NaN is written as null because JSON has no NaN.

Conventions checked here:
- ROC AUC and average precision are binary: y is 1 for the positive class, the score is
  any finite number. One class only is undefined (scikit-learn raises or warns), null here.
- Log loss uses labels=[0, 1], so one class only is still defined; probabilities are
  clipped to [eps, 1 - eps] with eps the float64 machine epsilon, as scikit-learn does.
"""

import json
import math
import os
import warnings

import numpy as np
import sklearn
from sklearn import metrics

warnings.filterwarnings("ignore")
rng = np.random.default_rng(20240612)


def finite_or_none(value):
    value = float(value)
    return value if math.isfinite(value) else None


def score_case(name, positive, scores):
    positive = np.asarray(positive, dtype=int)
    scores = np.asarray(scores, dtype=float)
    both = 0 < positive.sum() < len(positive)
    return {
        "name": name,
        "positive": positive.tolist(),
        "scores": scores.tolist(),
        "roc_auc": metrics.roc_auc_score(positive, scores) if both else None,
        "average_precision": metrics.average_precision_score(positive, scores) if both else None,
        "log_loss": (
            finite_or_none(metrics.log_loss(positive, np.clip(scores, 0, 1), labels=[0, 1]))
            if len(positive) > 0
            else None
        ),
    }


def score_cases():
    cases = [
        score_case("separable", [0, 0, 1, 1], [0.1, 0.4, 0.6, 0.9]),
        score_case("reversed", [1, 1, 0, 0], [0.1, 0.4, 0.6, 0.9]),
        score_case("scikit-learn docs", [0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]),
        score_case("all scores tied", [0, 1, 0, 1, 1], [0.5, 0.5, 0.5, 0.5, 0.5]),
        score_case("ties across classes", [0, 1, 1, 0, 1, 0], [0.2, 0.2, 0.7, 0.7, 0.9, 0.1]),
        score_case("confident and wrong", [1, 0, 1], [0.0, 1.0, 1.0]),
        score_case("one positive", [0, 0, 0, 1], [0.3, 0.2, 0.8, 0.4]),
        score_case("one class only", [1, 1, 1], [0.2, 0.5, 0.9]),
        score_case("one row", [1], [0.7]),
    ]
    for size in (10, 100, 1000, 5000):
        positive = rng.integers(0, 2, size)
        scores = 1 / (1 + np.exp(-(positive * 1.2 + rng.normal(0, 1, size) - 0.6)))
        cases.append(score_case(f"logistic scores n={size}", positive, scores))
    rounded = np.round(rng.uniform(0, 1, 400), 1)
    positive = (rng.uniform(0, 1, 400) < rounded).astype(int)
    cases.append(score_case("scores on a 0.1 grid n=400", positive, rounded))
    return cases


def confusion_case(name, actual, predicted):
    labels = sorted(set(actual) | set(predicted))
    return {
        "name": name,
        "actual": actual,
        "predicted": predicted,
        "labels": [str(label) for label in labels],
        "matrix": metrics.confusion_matrix(actual, predicted, labels=labels).tolist(),
    }


def confusion_cases():
    cases = [
        confusion_case("binary", [0, 1, 1, 0, 1], [0, 1, 0, 0, 1]),
        confusion_case("strings", ["cat", "ant", "cat", "bird"], ["ant", "ant", "cat", "cat"]),
        confusion_case("class only predicted", [1, 1, 2], [1, 3, 2]),
        confusion_case("numbers sort numerically", [10, 2, 10, 2], [2, 2, 10, 10]),
    ]
    actual = rng.integers(0, 5, 300).tolist()
    predicted = [a if rng.uniform() < 0.7 else int(rng.integers(0, 5)) for a in actual]
    cases.append(confusion_case("five classes n=300", actual, predicted))
    return cases


def main():
    golden = {
        "source": f"test/golden/quality_extra.py with scikit-learn {sklearn.__version__}, "
        f"NumPy {np.__version__}",
        "scores": score_cases(),
        "confusion": confusion_cases(),
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "quality_extra.json")
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(golden, handle, indent=2)
        handle.write("\n")


main()
