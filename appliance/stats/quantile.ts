/**
 * Quantiles with NumPy's default method (`np.percentile(..., method='linear')`, type 7 of
 * Hyndman and Fan): for n sorted values and q in [0, 1], h = (n - 1) · q, and the quantile is
 * x[floor(h)] + (h - floor(h)) · (x[floor(h) + 1] - x[floor(h)]).
 */

/**
 * Quantile q in [0, 1] of values already sorted in ascending order. Returns NaN for an empty
 * array or a q outside [0, 1]. The interpolation is written as NumPy's `_lerp` writes it
 * (from the upper end when the fraction is at least 0.5), so results agree to the last bits.
 */
export function sortedQuantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0 || !(q >= 0 && q <= 1)) return NaN;

  const h = (n - 1) * q;
  const lowerIndex = Math.floor(h);
  const lower = sorted[lowerIndex]!;
  if (lowerIndex >= n - 1) return lower;

  const upper = sorted[lowerIndex + 1]!;
  const fraction = h - lowerIndex;
  const difference = upper - lower;
  return fraction >= 0.5 ? upper - difference * (1 - fraction) : lower + difference * fraction;
}

/**
 * Quantiles of unsorted finite values for each q in `qs`. Sorts one copy, so the input keeps
 * its order; NaN values must be removed by the caller, as `np.percentile` would return NaN.
 */
export function quantiles(values: ArrayLike<number>, qs: readonly number[]): number[] {
  const sorted = Float64Array.from(values).sort();
  return qs.map((q) => sortedQuantile(sorted, q));
}
