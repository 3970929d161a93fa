/**
 * Robust location and scale (median, median absolute deviation) and the standard normal tail,
 * used by the robust z-score detector.
 */

/** Scale that makes the MAD a consistent estimator of the standard deviation for normal data. */
export const MAD_TO_SIGMA = 1.4826;

/**
 * Median of a sorted array, NaN when it is empty. For an even count it is the mean of the two
 * middle values, as `numpy.median`.
 */
export function sortedMedian(sorted: ArrayLike<number>, count = sorted.length): number {
  if (count === 0) return NaN;

  const middle = count >> 1;
  if (count % 2 === 1) return sorted[middle]!;
  return (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Median of any array; copies and sorts, so it does not reorder the input. */
export function median(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort();
  return sortedMedian(sorted);
}

/**
 * Median absolute deviation from the median of a sorted array, unscaled (as
 * `scipy.stats.median_abs_deviation` with `scale=1`), in O(log n) without allocating.
 * Split at s = floor(n / 2): values before s are at most the median, so their deviations
 * grow as the index falls (run A), and values from s on are at least the median, so theirs
 * grow with the index (run B). The MAD is the median of the union of two sorted runs.
 */
export function sortedMad(sorted: ArrayLike<number>, count = sorted.length): number {
  if (count === 0) return NaN;

  const center = sortedMedian(sorted, count);
  const split = count >> 1;
  const upper = kthDeviation(sorted, count, center, split);
  if (count % 2 === 1) return upper;
  return (kthDeviation(sorted, count, center, split - 1) + upper) / 2;
}

/**
 * Finds the k-th smallest (0-based) deviation from `center` by binary search on how many of
 * the k + 1 smallest come from run A: with i from A and j = k + 1 - i from B, the split is
 * right when A[i - 1] <= B[j] and B[j - 1] <= A[i], and the result is max(A[i - 1], B[j - 1]).
 */
function kthDeviation(sorted: ArrayLike<number>, count: number, center: number, k: number) {
  const split = count >> 1;
  const lengthB = count - split;
  let low = Math.max(0, k + 1 - lengthB);
  let high = Math.min(k + 1, split);

  for (;;) {
    const i = (low + high) >> 1;
    const j = k + 1 - i;
    // A[i] is center - sorted[split - 1 - i] and B[j] is sorted[split + j] - center.
    const lastA = i > 0 ? center - sorted[split - i]! : -Infinity;
    const nextA = i < split ? center - sorted[split - 1 - i]! : Infinity;
    const lastB = j > 0 ? sorted[split + j - 1]! - center : -Infinity;
    const nextB = j < lengthB ? sorted[split + j]! - center : Infinity;
    if (lastA > nextB) high = i - 1;
    else if (lastB > nextA) low = i + 1;
    else return Math.max(lastA, lastB);
  }
}

/**
 * Mean absolute deviation from the median of a sorted array. The robust z-score falls back to
 * it, scaled by sqrt(pi / 2) ≈ 1.2533, when more than half the window is one value (MAD 0).
 */
export function sortedMeanAbsoluteDeviation(
  sorted: ArrayLike<number>,
  count = sorted.length,
): number {
  if (count === 0) return NaN;

  const center = sortedMedian(sorted, count);
  let sum = 0;
  for (let i = 0; i < count; i += 1) sum += Math.abs(sorted[i]! - center);
  return sum / count;
}

/** Scale that makes the mean absolute deviation consistent for the normal sigma: sqrt(pi / 2). */
export const MEAN_AD_TO_SIGMA = Math.sqrt(Math.PI / 2);

/**
 * Complementary error function, within 1e-12 relative of SciPy on the golden cases. Below 2
 * it sums the series erf(x) = 2/sqrt(pi) · exp(-x²) · Σ 2^n x^(2n+1) / (1·3·…·(2n+1)), whose
 * terms are all positive. From 2 up it evaluates the continued fraction of erfc by the
 * modified Lentz method.
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 2) return 1 - erfSeries(x);
  return erfcContinuedFraction(x);
}

function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n += 1) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return (2 / Math.sqrt(Math.PI)) * Math.exp(-x2) * sum;
}

/** erfc(x) = exp(-x²)/sqrt(pi) · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), for x >= 2. */
function erfcContinuedFraction(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 500; n += 1) {
    const a = n / 2;
    d = x + a * d;
    d = d === 0 ? tiny : 1 / d;
    c = x + a / c;
    if (c === 0) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}

/** Two-sided standard normal tail P(|Z| >= |z|) = 2 · (1 - Φ(|z|)) = erfc(|z| / sqrt 2). */
export function normalTwoSidedTail(z: number): number {
  return erfc(Math.abs(z) / Math.SQRT2);
}

/** Upper standard normal tail P(Z >= z) = 1 - Φ(z), as `scipy.stats.norm.sf`. */
export function normalSurvival(z: number): number {
  return erfc(z / Math.SQRT2) / 2;
}
