"""Golden values for Vigil's model-quality, quantile and robust statistics.

Computes every expected value with scikit-learn, NumPy and SciPy and writes
test/golden/quality.json, which test/unit/stats/*.test.ts compare to 1e-9.
Run: python3 test/golden/quality.py  (tested with scikit-learn 1.9.1, NumPy 2.4.6,
SciPy 1.17.1). NaN is written as null because JSON has no NaN.

Conventions checked here, and where Vigil differs from a scikit-learn default:
- precision, recall and F1 use zero_division=np.nan (undefined is NaN, not 0).
- R² uses force_finite=False; a constant actual gives NaN (0/0) or -inf (x/0) there,
  and Vigil reports NaN for both, so those cases store null.
- MAPE leaves out rows whose actual is 0, so the expected value is scikit-learn's
  mean_absolute_percentage_error over the rows with a non-zero actual.
"""

import json
import math
import os
import warnings

import numpy as np
import scipy
import sklearn
from scipy import stats
from sklearn import metrics

warnings.filterwarnings("ignore")
rng = np.random.default_rng(20240611)


def finite_or_none(value):
    value = float(value)
    return value if math.isfinite(value) else None


def regression_case(name, actual, predicted):
    actual = np.asarray(actual, dtype=float)
    predicted = np.asarray(predicted, dtype=float)
    nonzero = actual != 0
    mape = (
        metrics.mean_absolute_percentage_error(actual[nonzero], predicted[nonzero])
        if nonzero.any()
        else math.nan
    )
    r2 = (
        metrics.r2_score(actual, predicted, force_finite=False) if len(actual) >= 2 else math.nan
    )
    return {
        "name": name,
        "actual": actual.tolist(),
        "predicted": predicted.tolist(),
        "n": len(actual),
        "me": float(np.mean(predicted - actual)),
        "mae": metrics.mean_absolute_error(actual, predicted),
        "rmse": metrics.root_mean_squared_error(actual, predicted),
        "r2": finite_or_none(r2),
        "mape": finite_or_none(mape),
        "mape_excluded": int((~nonzero).sum()),
        "max_error": metrics.max_error(actual, predicted),
    }


def regression_cases():
    cases = [
        regression_case("small integers", [3, -0.5, 2, 7], [2.5, 0.0, 2, 8]),
        regression_case("perfect predictions", [1, 2, 3, 4], [1, 2, 3, 4]),
        regression_case("constant actual", [5, 5, 5], [4, 5, 6]),
        regression_case("constant actual and perfect", [5, 5], [5, 5]),
        regression_case("one row", [2.0], [3.5]),
        regression_case("zeros in actual", [0, 1, 2, 0, 4], [0.5, 1.5, 1, -1, 4]),
        regression_case("all actuals zero", [0, 0, 0], [1, -1, 2]),
        regression_case("negative r2", [1, 2, 3], [3, 2, 1]),
        regression_case("large offset", [1e9 + 1, 1e9 + 2, 1e9 + 3], [1e9 + 1.5, 1e9 + 2, 1e9 + 2]),
    ]
    for size in (10, 100, 1000):
        actual = rng.normal(50, 10, size)
        predicted = actual + rng.normal(1, 5, size)
        cases.append(regression_case(f"normal noise n={size}", actual, predicted))
    counts = rng.poisson(200, 300).astype(float)
    cases.append(regression_case("bike-like counts", counts, counts * 0.8 + 12))
    return cases


def class_metrics(actual, predicted, labels):
    per_class = metrics.precision_recall_fscore_support(
        actual, predicted, labels=labels, average=None, zero_division=np.nan
    )
    result = {"per_class": []}
    for i, label in enumerate(labels):
        result["per_class"].append(
            {
                "label": str(label),
                "precision": finite_or_none(per_class[0][i]),
                "recall": finite_or_none(per_class[1][i]),
                "f1": finite_or_none(per_class[2][i]),
                "support": int(per_class[3][i]),
            }
        )
    for average in ("macro", "weighted"):
        p, r, f, _ = metrics.precision_recall_fscore_support(
            actual, predicted, average=average, zero_division=np.nan
        )
        result[average] = {
            "precision": finite_or_none(p),
            "recall": finite_or_none(r),
            "f1": finite_or_none(f),
        }
    return result


def classification_case(name, actual, predicted, positive_label=None):
    labels = sorted(set(actual) | set(predicted))
    case = {
        "name": name,
        "actual": list(actual),
        "predicted": list(predicted),
        "labels": [str(label) for label in labels],
        "accuracy": metrics.accuracy_score(actual, predicted),
        "confusion": metrics.confusion_matrix(actual, predicted, labels=labels).tolist(),
    }
    case.update(class_metrics(actual, predicted, labels))
    if positive_label is not None:
        p, r, f, _ = metrics.precision_recall_fscore_support(
            actual,
            predicted,
            labels=[positive_label],
            average=None,
            zero_division=np.nan,
        )
        case["binary"] = {
            "positive_label": positive_label,
            "precision": finite_or_none(p[0]),
            "recall": finite_or_none(r[0]),
            "f1": finite_or_none(f[0]),
        }
    return case


def classification_cases():
    cases = [
        classification_case("binary", [0, 1, 1, 0, 1, 1], [0, 1, 0, 0, 1, 1], positive_label=1),
        classification_case("never predicted class", [0, 0, 1, 1, 2], [0, 0, 0, 0, 0]),
        classification_case("one class all correct", ["a", "a", "a"], ["a", "a", "a"]),
        classification_case("all wrong", [0, 0], [1, 1], positive_label=1),
        classification_case("string labels", ["cat", "dog", "cat", "bird"], ["cat", "cat", "cat", "bird"]),
        classification_case("numeric sort order", [2, 10, 10, 2, 1], [10, 10, 2, 2, 1]),
        classification_case("positive label never seen", [0, 0, 0], [0, 0, 0], positive_label=1),
        classification_case("one row", [1], [0], positive_label=1),
    ]
    for size, classes in ((20, 2), (200, 3), (1000, 5)):
        actual = rng.integers(0, classes, size)
        noise = rng.random(size) < 0.3
        predicted = np.where(noise, rng.integers(0, classes, size), actual)
        cases.append(
            classification_case(
                f"random {classes} classes n={size}",
                [int(v) for v in actual],
                [int(v) for v in predicted],
                positive_label=1,
            )
        )
    return cases


def quantile_cases():
    sets = [
        [1.0],
        [1.0, 2.0],
        [3.0, 1.0, 2.0],
        [5.0, 5.0, 5.0, 5.0],
        [0.012, 0.250, 0.031, 0.044, 1.900, 0.052, 0.060],
        [-3.0, 10.0, 0.5, 7.25, -1.0, 2.0],
        rng.exponential(0.05, 101).tolist(),
        rng.lognormal(-3, 1, 1000).tolist(),
        rng.integers(0, 5, 57).astype(float).tolist(),
        (np.arange(1, 11) * 0.1).tolist(),
    ]
    qs = [0.0, 0.01, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1.0]
    return [
        {
            "values": values,
            "qs": qs,
            "expected": np.percentile(values, [q * 100 for q in qs], method="linear").tolist(),
        }
        for values in sets
    ]


def robust_cases():
    sets = [
        [1.0],
        [1.0, 2.0],
        [1.0, 2.0, 3.0, 4.0, 100.0],
        [7.0, 7.0, 7.0, 7.0],
        [0.0, 0.0, 0.0, 1.0, 5.0],
        [2.5, -1.0, 3.5, 3.5, 10.0, 0.0],
        rng.normal(0, 1, 11).tolist(),
        rng.normal(100, 15, 288).tolist(),
        rng.poisson(3, 100).astype(float).tolist(),
        rng.standard_t(2, 1001).tolist(),
    ]
    return [
        {
            "values": values,
            "median": float(np.median(values)),
            "mad": float(stats.median_abs_deviation(values, scale=1.0)),
            "mean_ad": float(np.mean(np.abs(np.asarray(values) - np.median(values)))),
        }
        for values in sets
    ]


def normal_cases():
    zs = [0.0, 1e-8, 0.5, 1.0, 1.959963984540054, 2.0, 2.5, 3.0, 5.0, 8.0, 12.0, 30.0, -1.5, -4.0]
    return [
        {"z": z, "two_sided": 2 * float(stats.norm.sf(abs(z))), "sf": float(stats.norm.sf(z))}
        for z in zs
    ]


def main():
    golden = {
        "source": (
            f"test/golden/quality.py with scikit-learn {sklearn.__version__}, "
            f"NumPy {np.__version__}, SciPy {scipy.__version__}"
        ),
        "regression": regression_cases(),
        "classification": classification_cases(),
        "quantile": quantile_cases(),
        "robust": robust_cases(),
        "normal": normal_cases(),
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "quality.json")
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(golden, handle, indent=1, allow_nan=False)
        handle.write("\n")


if __name__ == "__main__":
    main()
