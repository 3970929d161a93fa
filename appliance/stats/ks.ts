import { kstwoSf } from './kolmogorov.ts';

/**
 * Two-sample Kolmogorov-Smirnov test, two-sided, matching `scipy.stats.ks_2samp` (SciPy 1.17).
 *
 * D is the largest gap between the two empirical CDFs over the merged sorted samples, with
 * tied values stepped together. `auto` uses the exact p-value when max(n, m) ≤ 10,000, the
 * rule SciPy documents and applies, and the asymptotic one above. `exact` falls back to
 * `asymp`, as SciPy does, when lcm(n, m) would exceed 2^31 - 1.
 *
 * Exact p = P(D ≥ d) = 1 - P(a random lattice path from (0, 0) to (n, m) keeps
 * |i/n - j/m| < d at every point), counting paths as in Hodges (1958) but carrying
 * probabilities rather than counts, so nothing overflows: the probability of reaching (i, j)
 * inside the band is built from its two neighbours, weighted by the chance of the next step.
 * Like SciPy's, its smallest non-zero value is near 1e-16. It costs O(n · band) time, where
 * the band contains about 2·d·m points per row.
 * NOTE: `exact` on large samples is slow (about n·m steps when d is large); `auto` bounds it.
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

/**
 * P(D ≥ gap / (n·m)) under the null. inside[j] is the probability that a uniformly random
 * path reaches (i, j) with |i·m - j·n| < gap at every point so far.
 */
function exactPValue(n: number, m: number, gap: number): number {
  if (gap === 0) {
    return 1;
  }
  const total = n + m;
  let inside = new Float64Array(m + 1);
  inside[0] = 1;
  for (let j = 1; j <= m && j * n < gap; j += 1) {
    inside[j] = ((inside[j - 1] as number) * (m - j + 1)) / (total - j + 1);
  }

  let next = new Float64Array(m + 1);
  for (let i = 1; i <= n; i += 1) {
    next.fill(0);
    const low = Math.max(0, Math.floor((i * m - gap) / n) + 1);
    const high = Math.min(m, Math.ceil((i * m + gap) / n) - 1);
    for (let j = low; j <= high; j += 1) {
      const remaining = total - i - j + 1;
      const fromLeft = ((inside[j] as number) * (n - i + 1)) / remaining;
      const fromBelow = j > low ? ((next[j - 1] as number) * (m - j + 1)) / remaining : 0;
      next[j] = fromLeft + fromBelow;
    }
    [inside, next] = [next, inside];
  }
  return Math.min(1, Math.max(0, 1 - (inside[m] as number)));
}

function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) {
    [x, y] = [y, x % y];
  }
  return x;
}
