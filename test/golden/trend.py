"""Golden values for Vigil's forecasts and trend tests.

Writes test/golden/trend.json, which test/unit/stats/trend-golden.test.ts compares to 1e-9
relative. Run: python3 test/golden/trend.py  (tested with NumPy 2, SciPy 1.17.1, statsmodels
0.15.0).

Sources:
- predict_linear: numpy.polyfit(degree 1) on x = seconds relative to the evaluation time; the
  expected value is intercept + slope * horizon, as Prometheus defines predict_linear.
- Holt and Holt-Winters: statsmodels ETSModel (error='add', trend='add', seasonal='add' or
  none) with initialization_method='known', fixed smoothing weights through smooth(), and
  get_prediction(...).summary_frame(alpha=0.05) for the mean and the 95% interval.
- Mann-Kendall: Sen's slope from scipy.stats.theilslopes (times in seconds); S and tau-a from
  scipy.stats.kendalltau(method='asymptotic') on data without ties (tau-b equals tau-a there);
  the p-value from the textbook formula with the tie-corrected variance and the continuity
  correction, evaluated with scipy.stats.norm.sf, because SciPy has no Mann-Kendall test.
- normal quantile: scipy.stats.norm.ppf.
- fitted Holt and Holt-Winters weights: ETSModel(...).fit(disp=False) with the same 'known'
  initial states. It maximises the likelihood, which for additive errors minimises the one-step
  SSE. The SSE is the sum of the squared residuals of that fit.
"""

import json
import math
import os
import warnings

import numpy as np
import pandas as pd
import scipy
import statsmodels
from scipy import stats
from statsmodels.tsa.exponential_smoothing.ets import ETSModel

warnings.filterwarnings("ignore")
rng = np.random.default_rng(20261203)
MINUTE = 60_000


def linear_cases():
    cases = []
    for n, slope, noise in [(30, 0.25, 1.0), (200, -3.0, 10.0), (5, 0.0, 0.5)]:
        times = [1_700_000_000_000 + i * 15_000 for i in range(n)]
        values = [100 + slope * i + float(rng.normal(0, noise)) for i in range(n)]
        at = times[-1] + 15_000
        x = [(t - at) / 1000 for t in times]
        fitted_slope, intercept = np.polyfit(x, values, 1)
        for horizon in [0, 3600, 4 * 3600]:
            cases.append({
                "times": times, "values": values, "at": at, "horizon": horizon,
                "slope": float(fitted_slope), "intercept": float(intercept),
                "expected": float(intercept + fitted_slope * horizon),
            })
    return cases


def holt_cases():
    cases = []
    y = pd.Series(10 + 0.5 * np.arange(40) + rng.normal(0, 1, 40))
    for alpha, beta in [(0.3, 0.1), (0.8, 0.05)]:
        model = ETSModel(y, error="add", trend="add", initialization_method="known",
                         initial_level=y[0], initial_trend=y[1] - y[0])
        frame = model.smooth([alpha, beta]).get_prediction(start=40, end=45).summary_frame(alpha=0.05)
        cases.append({"values": list(y), "alpha": alpha, "beta": beta, "gamma": 0, "period": 0,
                      "forecasts": frame_rows(frame)})

    m = 12
    y2 = pd.Series(10 + 3 * np.sin(np.arange(60) * 2 * np.pi / m) + 0.1 * np.arange(60)
                   + rng.normal(0, 0.5, 60))
    level = y2[:m].mean()
    trend = (y2[m:2 * m].mean() - level) / m
    seasonal = (y2[:m] - level).values
    for alpha, beta, gamma in [(0.3, 0.1, 0.2), (0.5, 0.01, 0.4)]:
        model = ETSModel(y2, error="add", trend="add", seasonal="add", seasonal_periods=m,
                         initialization_method="known", initial_level=level, initial_trend=trend,
                         initial_seasonal=seasonal)
        frame = model.smooth([alpha, beta, gamma]).get_prediction(start=60, end=85).summary_frame(alpha=0.05)
        cases.append({"values": list(y2), "alpha": alpha, "beta": beta, "gamma": gamma, "period": m,
                      "forecasts": frame_rows(frame)})
    return cases


def holt_fit_cases():
    fit_rng = np.random.default_rng(20261204)
    cases = []
    for n, drift, walk in [(60, 0.5, 1.0), (80, -0.2, 0.5)]:
        y = pd.Series(10 + drift * np.arange(n) + np.cumsum(fit_rng.normal(0, walk, n))
                      + fit_rng.normal(0, 1, n))
        model = ETSModel(y, error="add", trend="add", initialization_method="known",
                         initial_level=y[0], initial_trend=y[1] - y[0])
        cases.append(fit_case(y, model, 0, y[0], y[1] - y[0], []))

    for n, m in [(72, 12), (84, 7)]:
        t = np.arange(n)
        y = pd.Series(20 + 4 * np.sin(t * 2 * np.pi / m) + 0.05 * t
                      + np.cumsum(fit_rng.normal(0, 0.3, n)) + fit_rng.normal(0, 0.8, n))
        level = y[:m].mean()
        trend = (y[m:2 * m].mean() - level) / m
        seasonal = (y[:m] - level).values
        model = ETSModel(y, error="add", trend="add", seasonal="add", seasonal_periods=m,
                         initialization_method="known", initial_level=level, initial_trend=trend,
                         initial_seasonal=seasonal)
        cases.append(fit_case(y, model, m, level, trend, list(seasonal)))
    return cases


def fit_case(y, model, period, level, trend, seasonal):
    fit = model.fit(disp=False)
    params = [float(v) for v in fit.params]
    n = len(y)
    frame = fit.get_prediction(start=n, end=n + 5).summary_frame(alpha=0.05)
    return {"values": list(y), "period": period, "alpha": params[0], "beta": params[1],
            "gamma": params[2] if period else 0, "sse": float((fit.resid ** 2).sum()),
            "forecasts": frame_rows(frame)}


def frame_rows(frame):
    return [{"h": i + 1, "mean": float(r["mean"]), "lower": float(r["pi_lower"]),
             "upper": float(r["pi_upper"])} for i, (_, r) in enumerate(frame.iterrows())]


def mann_kendall_cases():
    cases = []
    for n, slope, ties in [(25, 0.02, False), (60, -0.5, False), (40, 0.0, True), (12, 1.0, True)]:
        times = [i * 5 * MINUTE for i in range(n)]
        values = [slope * i + float(rng.normal(0, 2)) for i in range(n)]
        if ties:
            values = [float(round(v)) for v in values]
        s = sum(np.sign(values[j] - values[i]) for i in range(n) for j in range(i + 1, n))
        _, counts = np.unique(values, return_counts=True)
        var_s = (n * (n - 1) * (2 * n + 5) - sum(t * (t - 1) * (2 * t + 5) for t in counts)) / 18
        z = (s - np.sign(s)) / math.sqrt(var_s)
        sen = stats.theilslopes(values, [t / 1000 for t in times]).slope
        case = {"times": times, "values": values, "s": float(s), "variance_s": float(var_s),
                "z": float(z), "p_value": float(2 * stats.norm.sf(abs(z))), "sen_slope": float(sen)}
        if not ties:
            case["tau"] = float(stats.kendalltau(times, values, method="asymptotic").statistic)
        cases.append(case)
    return cases


def quantile_cases():
    return [{"p": p, "expected": float(stats.norm.ppf(p))}
            for p in [1e-300, 1e-20, 1e-10, 0.001, 0.025, 0.3, 0.5, 0.7, 0.975, 0.999, 0.999999]]


golden = {
    "versions": {"numpy": np.__version__, "scipy": scipy.__version__, "statsmodels": statsmodels.__version__},
    "linear": linear_cases(),
    "holt": holt_cases(),
    "mann_kendall": mann_kendall_cases(),
    "normal_quantile": quantile_cases(),
    "holt_fit": holt_fit_cases(),
}
path = os.path.join(os.path.dirname(__file__), "trend.json")
with open(path, "w") as f:
    json.dump(golden, f, indent=1)
print(f"wrote {path}")
