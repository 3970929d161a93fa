/**
 * k-sample Anderson-Darling test, midrank variant, as `scipy.stats.anderson_ksamp` with
 * `variant='midrank'` (SciPy 1.17), after Scholz and Stephens, "K-Sample Anderson-Darling
 * Tests", J. Amer. Statist. Assoc. 82(399), 1987. It handles ties, so it suits discrete
 * features too.
 *
 * The statistic is the standardised (A²akN - (k - 1)) / σ_N. The p-value is interpolated, as
 * SciPy does, by a quadratic least-squares fit of ln(significance) on the critical values of
 * the paper's Table 2, and is capped to [0.001, 0.25], the range of that table. So 0.25 means
 * "0.25 or more" and 0.001 means "0.001 or less".
 */
export interface AndersonDarlingResult {
  statistic: number;
  pValue: number;
  /** True when the p-value sits at a cap of the table. */
  capped: boolean;
}

// Table 2 of Scholz and Stephens (1987), as SciPy 1.17 tabulates it: critical value = b0 + b1 / √m + b2 / m, m = k - 1.
const SIGNIFICANCE = [0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.001];
const B0 = [0.675, 1.281, 1.645, 1.96, 2.326, 2.573, 3.085];
const B1 = [-0.245, 0.25, 0.678, 1.149, 1.822, 2.364, 3.615];
const B2 = [-0.105, -0.305, -0.362, -0.391, -0.396, -0.345, -0.154];

/** Test of k ≥ 2 samples; NaN when a sample is empty, N < 4, or all values are equal. */
export function andersonDarlingKSample(
  samples: readonly (readonly number[])[],
): AndersonDarlingResult {
  const pooled = Float64Array.from(samples.flat()).sort();
  const total = pooled.length;
  const distinct = distinctValues(pooled);
  if (
    samples.length < 2 ||
    samples.some((sample) => sample.length === 0) ||
    total < 4 ||
    distinct.length < 2
  ) {
    return { statistic: NaN, pValue: NaN, capped: false };
  }

  const a2 = midrankStatistic(samples, pooled, distinct);
  const m = samples.length - 1;
  const statistic = (a2 - m) / Math.sqrt(nullVariance(samples, total));
  return { statistic, ...interpolatePValue(statistic, m) };
}

// A²akN, the midrank statistic (equation 7 of Scholz and Stephens, as SciPy cites it).
function midrankStatistic(
  samples: readonly (readonly number[])[],
  pooled: Float64Array,
  distinct: readonly number[],
): number {
  const total = pooled.length;
  let a2 = 0;

  for (const sample of samples) {
    const sorted = Float64Array.from(sample).sort();
    let inner = 0;
    for (const value of distinct) {
      const below = lowerBound(pooled, value);
      const ties = upperBound(pooled, value) - below;
      const pooledRank = below + ties / 2;
      const sampleBelow = lowerBound(sorted, value);
      const sampleUpTo = upperBound(sorted, value);
      const sampleRank = sampleUpTo - (sampleUpTo - sampleBelow) / 2;
      const numerator = (total * sampleRank - pooledRank * sample.length) ** 2;
      const denominator = pooledRank * (total - pooledRank) - (total * ties) / 4;
      inner += ((ties / total) * numerator) / denominator;
    }
    a2 += inner / sample.length;
  }
  return (a2 * (total - 1)) / total;
}

// σ²_N, the variance of A²akN under the null, with the terms a, b, c, d SciPy uses.
function nullVariance(samples: readonly (readonly number[])[], total: number): number {
  const k = samples.length;
  const sumInverseSizes = samples.reduce((sum, sample) => sum + 1 / sample.length, 0);
  let h = 0;
  for (let i = 1; i < total; i += 1) h += 1 / i;
  // g = Σ_{i=1}^{N-2} Σ_{j=i+1}^{N-1} 1 / ((N - i) · j), with the inner sum kept as a tail.
  let g = 0;
  let tail = 0;
  for (let i = total - 2; i >= 1; i -= 1) {
    tail += 1 / (i + 1);
    g += tail / (total - i);
  }

  const n = total;
  const a = (4 * g - 6) * (k - 1) + (10 - 6 * g) * sumInverseSizes;
  const b =
    (2 * g - 4) * k ** 2 + 8 * h * k + (2 * g - 14 * h - 4) * sumInverseSizes - 8 * h + 4 * g - 6;
  const c =
    (6 * h + 2 * g - 2) * k ** 2 + (4 * h - 4 * g + 6) * k + (2 * h - 6) * sumInverseSizes + 4 * h;
  const d = (2 * h + 6) * k ** 2 - 4 * h * k;
  return (a * n ** 3 + b * n ** 2 + c * n + d) / ((n - 1) * (n - 2) * (n - 3));
}

function interpolatePValue(statistic: number, m: number): { pValue: number; capped: boolean } {
  const critical = B0.map((b0, i) => b0 + (B1[i] as number) / Math.sqrt(m) + (B2[i] as number) / m);
  if (statistic < Math.min(...critical)) {
    return { pValue: 0.25, capped: true };
  }
  if (statistic > Math.max(...critical)) {
    return { pValue: 0.001, capped: true };
  }
  const [c0, c1, c2] = quadraticFit(critical, SIGNIFICANCE.map(Math.log));
  return { pValue: Math.exp(c0 + c1 * statistic + c2 * statistic ** 2), capped: false };
}

// Least-squares y ≈ c0 + c1·x + c2·x², by the normal equations on centred x.
function quadraticFit(x: readonly number[], y: readonly number[]): [number, number, number] {
  const mean = x.reduce((sum, value) => sum + value, 0) / x.length;
  const sums = [0, 0, 0, 0, 0];
  const right = [0, 0, 0];
  x.forEach((value, i) => {
    const t = value - mean;
    for (let p = 0; p <= 4; p += 1) sums[p] = (sums[p] as number) + t ** p;
    for (let p = 0; p <= 2; p += 1) right[p] = (right[p] as number) + (y[i] as number) * t ** p;
  });
  const matrix = [0, 1, 2].map((row) => [0, 1, 2].map((column) => sums[row + column] as number));
  const [e0, e1, e2] = solve3(matrix, right);

  // Expand e0 + e1·(x - μ) + e2·(x - μ)² back into powers of x.
  return [e0 - e1 * mean + e2 * mean ** 2, e1 - 2 * e2 * mean, e2];
}

// Gaussian elimination with partial pivoting on a 3 × 3 system.
function solve3(matrix: number[][], right: number[]): [number, number, number] {
  const rows = matrix.map((row, i) => [...row, right[i] as number]);
  for (let column = 0; column < 3; column += 1) {
    let pivot = column;
    for (let row = column + 1; row < 3; row += 1) {
      if (Math.abs(rows[row]![column]!) > Math.abs(rows[pivot]![column]!)) pivot = row;
    }
    [rows[column], rows[pivot]] = [rows[pivot]!, rows[column]!];
    for (let row = column + 1; row < 3; row += 1) {
      const factor = rows[row]![column]! / rows[column]![column]!;
      for (let j = column; j < 4; j += 1) rows[row]![j]! -= factor * rows[column]![j]!;
    }
  }
  const solution = [0, 0, 0];
  for (let row = 2; row >= 0; row -= 1) {
    let value = rows[row]![3]!;
    for (let j = row + 1; j < 3; j += 1) value -= rows[row]![j]! * solution[j]!;
    solution[row] = value / rows[row]![row]!;
  }
  return solution as [number, number, number];
}

function distinctValues(sorted: Float64Array): number[] {
  const values: number[] = [];
  for (const value of sorted) {
    if (values.length === 0 || value !== values[values.length - 1]) values.push(value);
  }
  return values;
}

// Number of entries < value.
function lowerBound(sorted: Float64Array, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] as number) < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

// Number of entries ≤ value.
function upperBound(sorted: Float64Array, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] as number) <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}
