import { logGamma } from './gamma.ts';

/**
 * Two-sample Cramér-von Mises test, as `scipy.stats.cramervonmises_2samp` (SciPy 1.17).
 *
 * T = U / (n·m·N) - (4·n·m - 1) / (6·N) with N = n + m and
 * U = n·Σ (r_i - i)² + m·Σ (s_j - j)², where r and s are the sorted samples' midranks in the
 * pooled sample (Anderson, Ann. Math. Statist. 33(3), 1962). `auto` is exact when
 * max(n, m) ≤ 20, as SciPy does. The exact p-value counts, over every ordering of the pooled
 * sample, the share whose statistic is at least the observed one, as in Xiao, Gordon and
 * Yakovlev (J. Stat. Software 17(8), 2006). With ties it uses the same no-ties distribution,
 * as SciPy does. The asymptotic p-value standardises T by its exact mean and variance and
 * uses the limiting one-sample distribution, from the series of Csörgő and Faraway (1996).
 */
export type CvmMethod = 'auto' | 'exact' | 'asymptotic';

export const CVM_EXACT_MAX_N = 20;

export interface CvmResult {
  statistic: number;
  pValue: number;
  method: 'exact' | 'asymptotic';
}

/** Test of two samples of at least two values each; NaN for smaller samples. */
export function cramerVonMises(
  x: readonly number[],
  y: readonly number[],
  method: CvmMethod = 'auto',
): CvmResult {
  const n = x.length;
  const m = y.length;
  let chosen: 'exact' | 'asymptotic' = method === 'asymptotic' ? 'asymptotic' : 'exact';
  if (method === 'auto' && Math.max(n, m) > CVM_EXACT_MAX_N) {
    chosen = 'asymptotic';
  }
  if (n < 2 || m < 2) {
    return { statistic: NaN, pValue: NaN, method: chosen };
  }

  const u = rankStatistic(x, y);
  const k = n * m;
  const total = n + m;
  const statistic = u / (k * total) - (4 * k - 1) / (6 * total);
  const pValue =
    chosen === 'exact' ? exactPValue(u, n, m) : asymptoticPValue(statistic, total, n, m);
  return { statistic, pValue, method: chosen };
}

// U from midranks of the sorted samples in the pooled sample.
function rankStatistic(x: readonly number[], y: readonly number[]): number {
  const pooled = [
    ...x.map((value) => ({ value, first: true })),
    ...y.map((value) => ({ value, first: false })),
  ];
  pooled.sort((a, b) => a.value - b.value);

  const xRanks: number[] = [];
  const yRanks: number[] = [];
  for (let start = 0; start < pooled.length;) {
    let end = start;
    while (end < pooled.length && pooled[end]?.value === pooled[start]?.value) end += 1;
    const midrank = (start + 1 + end) / 2;
    for (let i = start; i < end; i += 1) {
      (pooled[i]?.first ? xRanks : yRanks).push(midrank);
    }
    start = end;
  }

  let sumX = 0;
  xRanks.forEach((rank, i) => (sumX += (rank - (i + 1)) ** 2));
  let sumY = 0;
  yRanks.forEach((rank, j) => (sumY += (rank - (j + 1)) ** 2));
  return x.length * sumX + y.length * sumY;
}

/**
 * Share of orderings with statistic ≥ u. A path through the lattice of (j, i) = (values of y,
 * values of x) taken so far adds (a·i - b·j)² at every point, with a = lcm / n and
 * b = lcm / m. Each cell maps every partial sum to its number of paths.
 */
function exactPValue(u: number, n: number, m: number): number {
  const lcm = (n * m) / gcd(n, m);
  const a = lcm / n;
  const b = lcm / m;
  const k = n * m;
  // Same operation order as SciPy, so the threshold rounds the same way.
  const threshold = Math.floor((lcm ** 2 * (n + m) * (6 * u - k * (4 * k - 1))) / (6 * k ** 2));

  let previous: Map<number, number>[] = [];
  for (let j = 0; j <= m; j += 1) {
    const row: Map<number, number>[] = [];
    for (let i = 0; i <= n; i += 1) {
      const cell = new Map<number, number>();
      if (i === 0 && j === 0) cell.set(0, 1);
      addInto(cell, row[i - 1]);
      addInto(cell, previous[i]);
      row.push(shift(cell, (a * i - b * j) ** 2));
    }
    previous = row;
  }

  let hits = 0;
  let paths = 0;
  for (const [value, count] of previous[n] as Map<number, number>) {
    paths += count;
    if (value >= threshold) hits += count;
  }
  return hits / paths;
}

function addInto(target: Map<number, number>, source: Map<number, number> | undefined): void {
  if (source === undefined) return;
  for (const [value, count] of source) {
    target.set(value, (target.get(value) ?? 0) + count);
  }
}

function shift(cell: Map<number, number>, by: number): Map<number, number> {
  const shifted = new Map<number, number>();
  for (const [value, count] of cell) shifted.set(value + by, count);
  return shifted;
}

// Mean and variance of T (Anderson, 1962, eqs. 11 and 14, as SciPy cites them), then the
// normalised statistic.
function asymptoticPValue(t: number, total: number, n: number, m: number): number {
  const k = n * m;
  const mean = (1 + 1 / total) / 6;
  const variance =
    ((total + 1) * (4 * k * total - 3 * (n ** 2 + m ** 2) - 2 * k)) / (45 * total ** 2 * 4 * k);
  const normalized = 1 / 6 + (t - mean) / Math.sqrt(45 * variance);
  if (normalized < 0.003) {
    return 1;
  }
  return Math.max(0, 1 - cvmLimitCdf(normalized));
}

/**
 * CDF of the limiting Cramér-von Mises distribution,
 * Σ_k Γ(k + ½) / (Γ(k + 1) π^1.5 √x) · √(4k + 1) · exp(-q) · K_¼(q) with q = (4k + 1)² / (16x),
 * summed until a term falls below 1e-7 as SciPy does. SciPy's notes expect it to lose accuracy
 * above x = 4, where the CDF is within 1e-9 of 1.
 */
export function cvmLimitCdf(x: number): number {
  let total = 0;
  for (let k = 0; k < 1000; k += 1) {
    const y = 4 * k + 1;
    const q = (y * y) / (16 * x);
    const scale = Math.exp(logGamma(k + 0.5) - logGamma(k + 1)) / (Math.PI ** 1.5 * Math.sqrt(x));
    const term = scale * Math.sqrt(y) * Math.exp(-q) * besselK(0.25, q);
    total += term;
    if (Math.abs(term) < 1e-7) break;
  }
  return total;
}

/**
 * Modified Bessel function of the second kind K_ν(z) for z > 0, by the trapezoidal rule on
 * K_ν(z) = ∫_0^∞ exp(-z·cosh t) · cosh(ν·t) dt. The integrand decays doubly exponentially,
 * so a step of 0.02 gives close to double precision.
 */
export function besselK(nu: number, z: number): number {
  const step = 0.02;
  let total = 0.5 * Math.exp(-z);
  for (let t = step; ; t += step) {
    const term = Math.exp(-z * Math.cosh(t)) * Math.cosh(nu * t);
    total += term;
    if (term < total * 1e-18 || t > 50) break;
  }
  return total * step;
}

function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) {
    [x, y] = [y, x % y];
  }
  return x;
}
