"""Golden values for Vigil's drift statistics, computed with SciPy and NumPy.

Run: python3 test/golden/drift.py   (writes test/golden/drift.json beside this file)

KS cases come from scipy.stats.ks_2samp (two-sided, methods exact, asymp and auto), the
Kolmogorov distributions from scipy.stats.kstwo and kstwobign, chi-square from
scipy.stats.chi2_contingency(correction=False) and scipy.stats.chi2.sf. PSI has no SciPy
function, so it is computed here in NumPy with Vigil's documented rule: interior edges are
np.quantile(reference, k / bins) for k = 1 .. bins - 1 with duplicates merged, bins are
[e_k, e_k+1) (np.searchsorted side='right'), and an empty share is replaced by
min(epsilon, smallest non-zero share on either side / 2) without renormalising.
Jensen-Shannon (scipy.spatial.distance.jensenshannon) and Hellinger (NumPy, as SciPy has no
function for it) use np.histogram counts over the combined range of both samples, or the
union of categories. Wasserstein-1 comes from scipy.stats.wasserstein_distance, normalised
by np.std(reference) floored at 1e-3. The two-proportion z-test uses the pooled variance
and scipy.stats.norm.sf. Cramér-von Mises comes from scipy.stats.cramervonmises_2samp and
Anderson-Darling from scipy.stats.anderson_ksamp(variant='midrank').

Samples larger than a few thousand values are not stored: they are described by a
"sequence" entry that both sides rebuild with the same IEEE operations,
x_i = frac((i + offset) * 0.6180339887498949) ** power * scale + shift for i in 0 .. n - 1.
"""

import json
import math
import pathlib
import warnings

import numpy as np
import scipy
from scipy import stats
from scipy.spatial import distance

GOLDEN_RATIO_FRACTION = 0.6180339887498949


def sequence(spec):
    offset, power, scale, shift = spec["offset"], spec["power"], spec["scale"], spec["shift"]
    return [((i + offset) * GOLDEN_RATIO_FRACTION % 1.0) ** power * scale + shift
            for i in range(spec["n"])]


def seq(n, offset=0, power=1.0, scale=1.0, shift=0.0):
    return {"n": n, "offset": offset, "power": power, "scale": scale, "shift": shift}


def rounded(values, digits=6):
    return [round(float(v), digits) for v in values]


def ks_cases(rng):
    normal = lambda n, loc=0.0, s=1.0: rounded(rng.normal(loc, s, n))
    inline = [
        ("disjoint 1..5 vs 6..10", [1, 2, 3, 4, 5], [6, 7, 8, 9, 10], "exact"),
        ("ties 11122 vs 12222", [1, 1, 1, 2, 2], [1, 2, 2, 2, 2], "exact"),
        ("identical 1..1000", list(range(1, 1001)), list(range(1, 1001)), "auto"),
        ("n=1 vs n=1", [0.5], [1.5], "exact"),
        ("n=1 vs n=7", [3.0], [1, 2, 3, 4, 5, 6, 7], "exact"),
        ("unequal 20 vs 35 normal", normal(20), normal(35, 0.5), "exact"),
        ("unequal 37 vs 120 normal", normal(37), normal(120, 0.2, 1.3), "auto"),
        ("heavy ties integers", rng.integers(0, 4, 60).tolist(), rng.integers(0, 5, 45).tolist(), "exact"),
        ("equal 100 vs 100 shift", normal(100), normal(100, 0.3), "exact"),
        ("unequal 1000 vs 1500", normal(1000), normal(1500, 0.05), "auto"),
        ("exact 3000 vs 2000 same", normal(3000), normal(2000), "exact"),
        ("asymp 200 vs 300", normal(200), normal(300, 0.25), "asymp"),
        ("asymp 3 vs 1000", normal(3), normal(1000), "asymp"),
        ("asymp 40 vs 60 ties", rng.integers(0, 6, 40).tolist(), rng.integers(0, 6, 60).tolist(), "asymp"),
        ("asymp 5 vs 5 disjoint", [1, 2, 3, 4, 5], [6, 7, 8, 9, 10], "asymp"),
        ("asymp 150 vs 160", normal(150), normal(160, 0.1), "asymp"),
    ]
    cases = []
    for name, a, b, method in inline:
        result = stats.ks_2samp(a, b, method=method)
        cases.append({"name": name, "reference": a, "current": b, "method": method,
                      "statistic": float(result.statistic), "p_value": float(result.pvalue)})

    generated = [
        ("auto asymp 12000 vs 15000 shifted", seq(12000), seq(15000, 7, 1.0, 1.0, 0.01), "auto"),
        ("auto asymp 20000 vs 11000 power", seq(20000), seq(11000, 3, 1.05), "auto"),
        ("asymp 50000 vs 50000 tiny shift", seq(50000), seq(50000, 11, 1.0, 1.0, 0.002), "asymp"),
        ("asymp 300000 vs 250000 shift", seq(300000), seq(250000, 5, 1.0, 1.0, 0.003), "asymp"),
        ("asymp 30000 vs 120 shift", seq(30000), seq(120, 9, 1.0, 1.0, 0.1), "auto"),
        ("exact 10000 vs 9000 shift", seq(10000), seq(9000, 13, 1.0, 1.0, 0.02), "auto"),
    ]
    for name, a, b, method in generated:
        result = stats.ks_2samp(sequence(a), sequence(b), method=method)
        cases.append({"name": name, "reference_sequence": a, "current_sequence": b,
                      "method": method, "statistic": float(result.statistic),
                      "p_value": float(result.pvalue)})
    return cases


def kstwo_cases():
    cases = []
    for n in [1, 2, 5, 10, 50, 140, 141, 500, 1000, 5000, 100000, 200000, 1000000, 3000000]:
        for z in [0.05, 0.3, 0.6, 0.9, 1.2, 1.5, 2.0, 3.0, 6.0]:
            d = min(z / math.sqrt(n), 0.999)
            cases.append({"n": n, "d": d, "sf": float(stats.kstwo.sf(d, n))})
        for d in [0.4 / n, 0.75 / n, 0.5, 0.7, 1 - 0.5 / n]:
            if 0 < d < 1:
                cases.append({"n": n, "d": d, "sf": float(stats.kstwo.sf(d, n))})
    return cases


def kstwobign_cases():
    return [{"z": z, "sf": float(stats.kstwobign.sf(z))}
            for z in [0.05, 0.2, 0.4, 0.6, 0.8, 0.99, 1.0, 1.2, 1.36, 1.63, 2.0, 3.0, 5.0]]


def chi2_contingency_cases(rng):
    raw = [
        ("same single category", {"a": 50}, {"a": 50}),
        ("unseen category c", {"a": 10, "b": 10}, {"a": 5, "b": 5, "c": 10}),
        ("codes 0..11 vs 0..12", {str(i): 10 for i in range(12)}, {str(i): 10 for i in range(13)}),
        ("two categories dof 1", {"x": 30, "y": 70}, {"x": 45, "y": 55}),
        ("identical shares", {"a": 20, "b": 40, "c": 40}, {"a": 10, "b": 20, "c": 20}),
        ("disjoint categories", {"a": 10}, {"b": 7}),
        ("one row each side", {"a": 1}, {"b": 1}),
        ("large counts small shift", {"a": 100000, "b": 100000, "c": 50000},
         {"a": 101000, "b": 99000, "c": 50500}),
        ("tiny p value", {"a": 1000, "b": 10}, {"a": 10, "b": 1000}),
    ]
    for size in [4, 9, 25]:
        ref = rng.integers(1, 200, size).tolist()
        cur = rng.integers(1, 200, size).tolist()
        raw.append((f"random {size} categories",
                    {f"k{i}": int(v) for i, v in enumerate(ref)},
                    {f"k{i}": int(v) for i, v in enumerate(cur)}))
    cases = []
    for name, ref, cur in raw:
        categories = list(dict.fromkeys([*ref.keys(), *cur.keys()]))
        table = np.array([[ref.get(c, 0) for c in categories], [cur.get(c, 0) for c in categories]])
        result = stats.chi2_contingency(table, correction=False)
        unseen = sum(v for c, v in cur.items() if ref.get(c, 0) == 0) / sum(cur.values())
        cases.append({"name": name, "reference": ref, "current": cur,
                      "statistic": float(result.statistic), "dof": int(result.dof),
                      "p_value": float(result.pvalue), "unseen_rate": unseen})
    return cases


def chi2_sf_cases():
    cases = []
    for dof in [1, 2, 3, 5, 10, 30, 100, 1000]:
        for x in [0.001, 0.5, 1.0, dof * 0.5, float(dof), dof + 1.0, dof * 2.0, dof * 5.0 + 20]:
            cases.append({"x": x, "dof": dof, "sf": float(stats.chi2.sf(x, dof))})
    return cases


def psi_numpy(ref_counts, cur_counts, epsilon):
    r = np.asarray(ref_counts, float) / np.sum(ref_counts)
    c = np.asarray(cur_counts, float) / np.sum(cur_counts)
    shares = np.concatenate([r, c])
    floor = min(epsilon, shares[shares > 0].min() / 2)
    keep = (r > 0) | (c > 0)
    r = np.where(r == 0, floor, r)[keep]
    c = np.where(c == 0, floor, c)[keep]
    return float(np.sum((c - r) * np.log(c / r)))


def psi_cases(rng):
    numeric = [
        ("normal shift 10 bins", rounded(rng.normal(0, 1, 500)), rounded(rng.normal(0.3, 1, 400)), 10),
        ("normal same 10 bins", rounded(rng.normal(0, 1, 300)), rounded(rng.normal(0, 1, 300)), 10),
        ("uniform 5 bins", rounded(rng.uniform(0, 1, 200)), rounded(rng.uniform(0.1, 1.1, 250)), 5),
        ("ties merge edges", [0.1, 0.2, 0.3] * 10, [0.1 + 1e-9, 0.2 + 1e-9, 0.3 + 1e-9] * 10, 10),
        ("integers with ties 20 bins", rng.integers(0, 6, 300).tolist(), rng.integers(0, 8, 300).tolist(), 20),
        ("current outside range", rounded(rng.normal(0, 1, 100)), rounded(rng.normal(5, 1, 100)), 10),
        ("n=1 reference", [1.0], [0.5, 1.0, 2.0], 10),
        ("two bins", rounded(rng.exponential(1, 150)), rounded(rng.exponential(1.5, 150)), 2),
        ("lognormal 15 bins", rounded(rng.lognormal(0, 1, 800)), rounded(rng.lognormal(0.1, 1.1, 700)), 15),
    ]
    cases = []
    for name, ref, cur, bins in numeric:
        edges = np.unique(np.quantile(np.asarray(ref, float), [k / bins for k in range(1, bins)]))
        ref_counts = np.bincount(np.searchsorted(edges, ref, side="right"), minlength=len(edges) + 1)
        cur_counts = np.bincount(np.searchsorted(edges, cur, side="right"), minlength=len(edges) + 1)
        cases.append({"name": name, "kind": "numeric", "reference": ref, "current": cur,
                      "bins_requested": bins, "bins": len(edges) + 1,
                      "edges": edges.tolist(), "statistic": psi_numpy(ref_counts, cur_counts, 1e-4)})
    categorical = [
        ("empty category c", {"a": 50, "b": 50}, {"a": 25, "b": 25, "c": 50}, 1e-4),
        ("empty category large epsilon", {"a": 50, "b": 50}, {"a": 25, "b": 25, "c": 50}, 0.3),
        ("same shares", {"a": 3, "b": 7}, {"a": 30, "b": 70}, 1e-4),
        ("disjoint", {"x": 10}, {"y": 10}, 1e-4),
        ("category vanished", {"a": 40, "b": 40, "c": 20}, {"a": 50, "b": 50}, 1e-4),
    ]
    for name, ref, cur, epsilon in categorical:
        categories = list(dict.fromkeys([*ref.keys(), *cur.keys()]))
        ref_counts = [ref.get(c, 0) for c in categories]
        cur_counts = [cur.get(c, 0) for c in categories]
        cases.append({"name": name, "kind": "categorical", "reference": ref, "current": cur,
                      "epsilon": epsilon, "bins": len(categories),
                      "statistic": psi_numpy(ref_counts, cur_counts, epsilon)})
    return cases


def histogram_pair(ref, cur, bins):
    values = np.concatenate([np.asarray(ref, float), np.asarray(cur, float)])
    low, high = float(values.min()), float(values.max())
    ref_counts, edges = np.histogram(ref, bins=bins, range=(low, high))
    cur_counts, _ = np.histogram(cur, bins=edges)
    return ref_counts, cur_counts


def hellinger_numpy(ref_counts, cur_counts):
    p = np.asarray(ref_counts, float) / np.sum(ref_counts)
    q = np.asarray(cur_counts, float) / np.sum(cur_counts)
    return float(np.sqrt(np.sum((np.sqrt(p) - np.sqrt(q)) ** 2) / 2))


def binned_samples(rng):
    """Sample pairs shared by the Jensen-Shannon and Hellinger cases."""
    return [
        ("normal shift", rounded(rng.normal(0, 1, 400)), rounded(rng.normal(0.5, 1, 300)), 10),
        ("normal same", rounded(rng.normal(0, 1, 300)), rounded(rng.normal(0, 1, 300)), 10),
        ("point 0 vs point 5", [0.0], [5.0], 10),
        ("point 5 vs point 5", [5.0], [5.0], 10),
        ("uniform 20 bins", rounded(rng.uniform(0, 1, 500)), rounded(rng.uniform(0.2, 1.2, 500)), 20),
        ("integers with ties", rng.integers(0, 5, 100).tolist(), rng.integers(0, 7, 80).tolist(), 7),
        ("lognormal wide", rounded(rng.lognormal(0, 1, 600)), rounded(rng.lognormal(0.3, 1.2, 600)), 30),
        ("n=1 vs n=3", [1.0], [0.0, 1.0, 2.0], 4),
        ("disjoint ranges", rounded(rng.normal(0, 1, 50)), rounded(rng.normal(100, 1, 50)), 10),
        ("exponential 5 bins", rounded(rng.exponential(1, 200)), rounded(rng.exponential(1.3, 250)), 5),
    ]


CATEGORY_PAIRS = [
    ("all x vs all y", {"x": 10}, {"y": 10}),
    ("same shares", {"a": 3, "b": 7}, {"a": 30, "b": 70}),
    ("unseen category", {"a": 50, "b": 50}, {"a": 25, "b": 25, "c": 50}),
    ("vanished category", {"a": 40, "b": 40, "c": 20}, {"a": 50, "b": 50}),
]


def category_counts(ref, cur):
    categories = list(dict.fromkeys([*ref.keys(), *cur.keys()]))
    return [ref.get(c, 0) for c in categories], [cur.get(c, 0) for c in categories]


def jensen_shannon_cases(rng):
    cases = []
    for name, ref, cur, bins in binned_samples(rng):
        ref_counts, cur_counts = histogram_pair(ref, cur, bins)
        for base in [2, math.e]:
            cases.append({"name": name, "kind": "numeric", "reference": ref, "current": cur,
                          "bins": bins, "base": base,
                          "statistic": float(distance.jensenshannon(ref_counts, cur_counts, base=base))})
    for name, ref, cur in CATEGORY_PAIRS:
        ref_counts, cur_counts = category_counts(ref, cur)
        cases.append({"name": name, "kind": "categorical", "reference": ref, "current": cur,
                      "base": 2,
                      "statistic": float(distance.jensenshannon(ref_counts, cur_counts, base=2))})
    return cases


def hellinger_cases(rng):
    cases = []
    for name, ref, cur, bins in binned_samples(rng):
        ref_counts, cur_counts = histogram_pair(ref, cur, bins)
        cases.append({"name": name, "kind": "numeric", "reference": ref, "current": cur,
                      "bins": bins, "statistic": hellinger_numpy(ref_counts, cur_counts)})
    for name, ref, cur in CATEGORY_PAIRS:
        ref_counts, cur_counts = category_counts(ref, cur)
        cases.append({"name": name, "kind": "categorical", "reference": ref, "current": cur,
                      "statistic": hellinger_numpy(ref_counts, cur_counts)})
    return cases


def wasserstein_cases(rng):
    raw = [
        ("normal shift", rounded(rng.normal(0, 1, 300)), rounded(rng.normal(0.4, 1, 200))),
        ("same values", [1, 2, 3], [1, 2, 3]),
        ("ties plus 1e-9", [0.1, 0.2, 0.3] * 10, [0.1 + 1e-9, 0.2 + 1e-9, 0.3 + 1e-9] * 10),
        ("constant reference", [2.0] * 20, rounded(rng.normal(2, 0.1, 30))),
        ("n=1 vs n=1", [0.0], [5.0]),
        ("n=1 vs many", [1.0], rounded(rng.uniform(0, 2, 40))),
        ("scaled", rounded(rng.normal(0, 10, 500)), rounded(rng.normal(0, 12, 400))),
        ("integers ties", rng.integers(0, 5, 100).tolist(), rng.integers(0, 6, 90).tolist()),
        ("heavy tail", rounded(rng.standard_cauchy(200)), rounded(rng.standard_cauchy(250))),
        ("large shift", rounded(rng.normal(0, 1, 100)), rounded(rng.normal(50, 1, 100))),
    ]
    cases = []
    for name, ref, cur in raw:
        w = float(stats.wasserstein_distance(ref, cur))
        std = float(np.std(ref))
        cases.append({"name": name, "reference": ref, "current": cur, "statistic": w,
                      "reference_std": std, "normalized": w / max(std, 1e-3)})
    return cases


def ztest_cases():
    raw = [(30, 100, 45, 100), (5, 50, 5, 50), (0, 40, 3, 60), (0, 10, 0, 20), (10, 10, 10, 12),
           (1, 1, 0, 1), (480, 1000, 520, 1000), (10000, 50000, 10400, 50000), (7, 33, 19, 41),
           (200, 210, 150, 190)]
    cases = []
    for x1, n1, x2, n2 in raw:
        p1, p2 = x1 / n1, x2 / n2
        pooled = (x1 + x2) / (n1 + n2)
        se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        z = 0.0 if se == 0 else (p2 - p1) / se
        p = 1.0 if se == 0 else float(2 * stats.norm.sf(abs(z)))
        cases.append({"reference_hits": x1, "reference_total": n1, "current_hits": x2,
                      "current_total": n2, "z": z, "p_value": p})
    return cases


def rank_test_samples(rng):
    """Sample pairs shared by the Cramér-von Mises and Anderson-Darling cases."""
    return [
        ("disjoint 1..5 vs 6..10", [1, 2, 3, 4, 5], [6, 7, 8, 9, 10]),
        ("ties small", [1, 1, 2, 2, 3], [1, 2, 2, 3, 3, 3, 4]),
        ("n=2 vs n=3", [0.5, 1.5], [1.0, 2.0, 3.0]),
        ("exact 12 vs 9 normal", rounded(rng.normal(0, 1, 12)), rounded(rng.normal(0.8, 1, 9))),
        ("exact 20 vs 17 normal", rounded(rng.normal(0, 1, 20)), rounded(rng.normal(0.3, 1, 17))),
        ("asymptotic 21 vs 20", rounded(rng.normal(0, 1, 21)), rounded(rng.normal(0.2, 1, 20))),
        ("asymptotic 100 vs 80 same", rounded(rng.normal(0, 1, 100)), rounded(rng.normal(0, 1, 80))),
        ("asymptotic 300 vs 250 shift", rounded(rng.normal(0, 1, 300)), rounded(rng.normal(0.25, 1, 250))),
        ("asymptotic integer ties", rng.integers(0, 5, 120).tolist(), rng.integers(0, 6, 90).tolist()),
        ("asymptotic large shift", rounded(rng.normal(0, 1, 60)), rounded(rng.normal(3, 1, 60))),
        ("asymptotic scale change", rounded(rng.normal(0, 1, 200)), rounded(rng.normal(0, 2, 200))),
    ]


def cramer_von_mises_cases(rng):
    cases = []
    for name, ref, cur in rank_test_samples(rng):
        methods = ["auto", "asymptotic"] if max(len(ref), len(cur)) <= 20 else ["auto"]
        for method in methods:
            result = stats.cramervonmises_2samp(ref, cur, method=method)
            cases.append({"name": name, "reference": ref, "current": cur, "method": method,
                          "statistic": float(result.statistic), "p_value": float(result.pvalue)})
    return cases


def anderson_darling_cases(rng):
    cases = []
    for name, ref, cur in rank_test_samples(rng):
        if len(ref) + len(cur) < 6:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SciPy warns when the p-value sits at a cap
            result = stats.anderson_ksamp([ref, cur], variant="midrank")
        cases.append({"name": name, "samples": [ref, cur],
                      "statistic": float(result.statistic), "p_value": float(result.pvalue)})
    three = [rounded(rng.normal(0, 1, 40)), rounded(rng.normal(0.2, 1, 30)), rounded(rng.normal(0, 1.3, 35))]
    result = stats.anderson_ksamp(three, variant="midrank")
    cases.append({"name": "three samples", "samples": three,
                  "statistic": float(result.statistic), "p_value": float(result.pvalue)})
    return cases


def main():
    rng = np.random.default_rng(20240601)
    golden = {
        "generator": "test/golden/drift.py",
        "scipy_version": scipy.__version__,
        "numpy_version": np.__version__,
        "ks_2samp": ks_cases(rng),
        "kstwo_sf": kstwo_cases(),
        "kstwobign_sf": kstwobign_cases(),
        "chi2_contingency": chi2_contingency_cases(rng),
        "chi2_sf": chi2_sf_cases(),
        "psi": psi_cases(rng),
        "jensenshannon": jensen_shannon_cases(rng),
        "hellinger": hellinger_cases(rng),
        "wasserstein": wasserstein_cases(rng),
        "two_proportion_z": ztest_cases(),
        "cramervonmises_2samp": cramer_von_mises_cases(rng),
        "anderson_ksamp": anderson_darling_cases(rng),
    }
    path = pathlib.Path(__file__).with_name("drift.json")
    path.write_text(json.dumps(golden, indent=1) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
