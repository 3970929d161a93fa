import { kstwoSf } from './kolmogorov.ts';

/**
 * Two-sample Kolmogorov-Smirnov test, two-sided, matching `scipy.stats.ks_2samp` (SciPy 1.17).
 *
 * D is the largest gap between the two empirical CDFs over the merged sorted samples, with
 * tied values stepped together. `auto` uses the exact p-value when max(n, m) ≤ 10,000 and the
 * asymptotic one above. SciPy's docs say "less than 10000", but its code tests
 * max(n, m) ≤ 10000, and Vigil follows the code. `exact` falls back to `asymp`, as SciPy
 * does, when lcm(n, m) would exceed 2^31 - 1.
 *
 * Exact p = P(D ≥ d) = 1 - P(a random lattice path from (0, 0) to (n, m) keeps
 * |i/n - j/m| < d at every point). This is the path counting SciPy uses (after Hodges, 1958),
 * carried as probabilities rather than counts so nothing overflows: the probability of
 * reaching (i, j) inside the band is built from its two neighbours, weighted by the chance of
 * the next step. Like SciPy's, its smallest non-zero value is near 1e-16. Each row visits the
 * band, about 2·d·m cells, less the cells of negligible probability far from the diagonal.
 * NOTE: `exact` on samples far above 10,000 is slow (up to n·m steps); `auto` bounds it.
 *
 * Asymptotic p = kstwo.sf(d, round(n·m / (n + m))), the one-sample distribution that
 * SciPy's `asymp` mode uses for two-sided tests.
 */
export type KsMethod = 'auto' | 'exact' | 'asymp';

export const KS_EXACT_MAX_N = 10_000;
const MAX_LATTICE = 2 ** 31 - 1;

export interface KsResult {
  statistic: number;
  pValue: number;
  /** The method that produced the p-value, after `auto` and any fallback. */
  method: 'exact' | 'asymp';
  nReference: number;
  nCurrent: number;
}

/** Two-sided two-sample KS test; NaN statistic and p-value when either sample is empty. */
export function ksTwoSample(
  reference: readonly number[],
  current: readonly number[],
  method: KsMethod = 'auto',
): KsResult {
  const n = reference.length;
  const m = current.length;
  const chosen = chooseMethod(n, m, method);
  if (n === 0 || m === 0) {
    return { statistic: NaN, pValue: NaN, method: chosen, nReference: n, nCurrent: m };
  }

  const gap = largestGap(Float64Array.from(reference).sort(), Float64Array.from(current).sort());
  const statistic = gap / (n * m);
  const pValue =
    chosen === 'exact' ? exactPValue(n, m, gap) : kstwoSf(statistic, Math.round((n * m) / (n + m)));
  return { statistic, pValue, method: chosen, nReference: n, nCurrent: m };
}

function chooseMethod(n: number, m: number, method: KsMethod): 'exact' | 'asymp' {
  if (method === 'auto') {
    return Math.max(n, m) <= KS_EXACT_MAX_N ? 'exact' : 'asymp';
  }
  if (method === 'exact') {
    const g = gcd(n, m);
    return g > 0 && (n / g) * (m / g) >= MAX_LATTICE ? 'asymp' : 'exact';
  }
  return 'asymp';
}

/** max |i·m - j·n| over the merged order, as an integer, so D = gap / (n·m) exactly. */
function largestGap(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  const m = b.length;
  let i = 0;
  let j = 0;
  let gap = 0;

  while (i < n && j < m) {
    const value = Math.min(a[i] as number, b[j] as number);
    while (i < n && a[i] === value) {
      i += 1;
    }
    while (j < m && b[j] === value) {
      j += 1;
    }
    gap = Math.max(gap, Math.abs(i * m - j * n));
  }
  return gap;
}

// Cells whose probability falls below this are dropped. There are at most (n + 1)(m + 1) of
// them, and dropped mass only lowers later cells by as much, so for n·m ≤ 1e12 the p-value
// moves by under 1e-28, far below its double-precision resolution near 1e-16. Dropping them
// keeps the work near the diagonal, where a random path goes, when d is large.
const NEGLIGIBLE = 1e-40;

interface Span {
  low: number;
  high: number;
}

/**
 * P(D ≥ gap / (n·m)) under the null. Row i of the table is the probability that a uniformly
 * random path reaches (i, j) with |i·m - j·n| < gap at every point so far. Two row buffers
 * are reused, zero outside the span of cells kept.
 */
function exactPValue(n: number, m: number, gap: number): number {
  if (gap === 0) {
    return 1;
  }
  let inside = new Float64Array(m + 1);
  let next = new Float64Array(m + 1);
  let kept: Span | undefined = firstRow(inside, n, m, gap);

  for (let i = 1; i <= n && kept !== undefined; i += 1) {
    const band = {
      low: Math.max(0, Math.floor((i * m - gap) / n) + 1),
      high: Math.min(m, Math.ceil((i * m + gap) / n) - 1),
    };
    const previous: Span = kept;
    kept = nextRow(inside, next, i, n, m, previous, band);
    inside.fill(0, previous.low, previous.high + 1);
    [inside, next] = [next, inside];
  }
  if (kept === undefined) {
    return 1;
  }
  return Math.min(1, Math.max(0, 1 - (inside[m] as number)));
}

// Row 0: the path has taken only steps in the current sample.
function firstRow(row: Float64Array, n: number, m: number, gap: number): Span {
  row[0] = 1;
  let high = 0;
  for (let j = 1; j <= m && j * n < gap; j += 1) {
    row[j] = ((row[j - 1] as number) * (m - j + 1)) / (n + m - j + 1);
    high = j;
  }
  return { low: 0, high };
}

// Fills row i from row i - 1 within the band and returns the span of kept cells, or
// undefined when every cell is negligible, so that the p-value is 1 to double precision.
function nextRow(
  previousRow: Float64Array,
  row: Float64Array,
  i: number,
  n: number,
  m: number,
  previous: Span,
  band: Span,
): Span | undefined {
  const start = Math.max(band.low, previous.low);
  let low = -1;
  let high = -1;

  for (let j = start; j <= band.high; j += 1) {
    const remaining = n + m - i - j + 1;
    const fromLeft = ((previousRow[j] as number) * (n - i + 1)) / remaining;
    const fromBelow = j > start ? ((row[j - 1] as number) * (m - j + 1)) / remaining : 0;
    const probability = fromLeft + fromBelow;
    if (probability > NEGLIGIBLE) {
      row[j] = probability;
      low = low < 0 ? j : low;
      high = j;
    } else if (j > previous.high) {
      break;
    }
  }
  return low < 0 ? undefined : { low, high };
}

function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) {
    [x, y] = [y, x % y];
  }
  return x;
}
