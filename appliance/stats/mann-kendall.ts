import { normalTwoSidedTail } from './robust.ts';

/**
 * Mann-Kendall trend test with Sen's slope, for a series in time order. S counts rising minus
 * falling pairs; its variance is n(n-1)(2n+5)/18 less the tie term Σ t(t-1)(2t+5)/18 over groups
 * of equal values; Z = (S - sign(S)) / sqrt(Var S) with the continuity correction, and the p-value
 * is two-sided normal. Sen's slope is the median of the pairwise slopes
 * (x_j - x_i) / (t_j - t_i) over pairs with distinct times, per second as `scipy.stats.theilslopes`
 * computes it when given times in seconds. O(n²) time and memory in the pairs, so callers bound n.
 */
export interface MannKendallResult {
  s: number;
  varianceS: number;
  z: number;
  pValue: number;
  /** Kendall's tau-a: S over the number of pairs. */
  tau: number;
  /** Sen's slope in value units per second. */
  senSlope: number;
  points: number;
}

export function mannKendall(
  times: ArrayLike<number>,
  values: ArrayLike<number>,
): MannKendallResult {
  const n = values.length;
  let s = 0;
  const slopes: number[] = [];
  for (let i = 0; i < n - 1; i += 1) {
    for (let j = i + 1; j < n; j += 1) {
      const delta = values[j]! - values[i]!;
      s += Math.sign(delta);
      const dt = (times[j]! - times[i]!) / 1000;
      if (dt !== 0) slopes.push(delta / dt);
    }
  }

  const varianceS = (n * (n - 1) * (2 * n + 5) - tieTerm(values)) / 18;
  const z = varianceS > 0 ? (s - Math.sign(s)) / Math.sqrt(varianceS) : 0;
  return {
    s,
    varianceS,
    z,
    pValue: n < 3 ? NaN : normalTwoSidedTail(z),
    tau: n < 2 ? NaN : s / ((n * (n - 1)) / 2),
    senSlope: median(slopes),
    points: n,
  };
}

/** Σ t(t-1)(2t+5) over the groups of t equal values. */
function tieTerm(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  let run = 1;
  for (let i = 1; i <= sorted.length; i += 1) {
    if (i < sorted.length && sorted[i] === sorted[i - 1]) {
      run += 1;
      continue;
    }
    sum += run * (run - 1) * (2 * run + 5);
    run = 1;
  }
  return sum;
}

function median(values: number[]): number {
  if (values.length === 0) return NaN;
  values.sort((a, b) => a - b);
  const half = values.length >> 1;
  return values.length % 2 === 1 ? values[half]! : (values[half - 1]! + values[half]!) / 2;
}
