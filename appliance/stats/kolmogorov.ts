/**
 * Survival functions of the Kolmogorov distributions. `kolmogorovSf` is the limiting
 * distribution of √n·D_n (SciPy's `kstwobign`), and `kstwoSf` the exact two-sided one-sample
 * statistic D_n for finite n (SciPy's `kstwo`).
 *
 * `kstwoSf` picks its method by region with the cut-offs of SciPy 1.17
 * (`scipy/stats/_ksstats.py`, after Simard and L'Ecuyer, J. Stat. Software 39(11), 2011).
 * It uses the closed forms of Ruben and Gambino at the ends, and twice the one-sided Smirnov
 * probability where both tails cannot be crossed at once. Durbin's matrix (as evaluated by
 * Marsaglia, Tsang and Wang, 2003) covers small n·d, and the Pelz-Good expansion large n.
 * Below n = 140 the Durbin matrix also replaces SciPy's Pomeranz recursion, because both are
 * exact. It agrees with `scipy.stats.kstwo.sf` within 1e-9 on the golden cases.
 */

const LN2 = Math.LN2;
const SQRT_TWO_PI = Math.sqrt(2 * Math.PI);
const PI2 = Math.PI ** 2;
const PI4 = Math.PI ** 4;
const PI6 = Math.PI ** 6;
const SCALE_EXPONENT = 128;
const SCALE_UP = 2 ** SCALE_EXPONENT;
const SCALE_DOWN = 2 ** -SCALE_EXPONENT;
// Above this n the one-sided sum has too many terms and Smirnov's asymptotic form is used.
const SMIRNOV_EXACT_MAX_N = 1_000_000;

/** P(K > z) for the limiting Kolmogorov distribution K = lim √n·D_n. */
export function kolmogorovSf(z: number): number {
  if (Number.isNaN(z)) {
    return NaN;
  }
  if (z <= 0) {
    return 1;
  }
  if (z < 1) {
    // Jacobi theta form of the CDF, which converges fast for small z.
    let cdf = 0;
    for (let k = 1; k <= 10; k += 1) {
      cdf += Math.exp((-((2 * k - 1) ** 2) * PI2) / (8 * z * z));
    }
    return 1 - (SQRT_TWO_PI / z) * cdf;
  }
  let sf = 0;
  for (let k = 1; k <= 100; k += 1) {
    const term = Math.exp(-2 * k * k * z * z);
    sf += k % 2 === 1 ? term : -term;
    if (term < 1e-300) {
      break;
    }
  }
  return clip(2 * sf);
}

/** P(D_n ≥ d) for the two-sided one-sample Kolmogorov-Smirnov statistic of n samples. */
export function kstwoSf(d: number, n: number): number {
  if (!Number.isInteger(n) || n <= 0 || Number.isNaN(d)) {
    return NaN;
  }
  if (d >= 1) {
    return 0;
  }
  if (d <= 0) {
    return 1;
  }

  const t = n * d;
  if (t <= 1) {
    // Ruben-Gambino: P(D_n < d) = n!/n^n · (2t - 1)^n for 1/(2n) ≤ d ≤ 1/n.
    return t <= 0.5 ? 1 : clip(1 - Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1)));
  }
  if (t >= n - 1) {
    return clip(2 * (1 - d) ** n);
  }
  if (d >= 0.5) {
    return clip(2 * smirnovSf(n, d));
  }
  return n <= 140 ? smallSampleSf(n, d) : largeSampleSf(n, d);
}

function smallSampleSf(n: number, d: number): number {
  if (n * d * d <= 4) {
    return clip(1 - durbinCdf(n, d));
  }
  return clip(2 * smirnovSf(n, d));
}

function largeSampleSf(n: number, d: number): number {
  const nd2 = n * d * d;
  if (nd2 >= 370) {
    return 0;
  }
  if (nd2 >= 2.2) {
    return clip(2 * smirnovSf(n, d));
  }
  if (n <= 100_000 && n * d ** 1.5 <= 1.4) {
    return clip(1 - durbinCdf(n, d));
  }
  return clip(1 - pelzGoodCdf(n, d));
}

/**
 * One-sided P(D_n+ ≥ d), by the Birnbaum-Tingey sum
 * d · Σ_{j=0}^{⌊n(1-d)⌋} C(n, j) (1 - d - j/n)^(n-j) (d + j/n)^(j-1), in log space.
 * Above `SMIRNOV_EXACT_MAX_N` it uses exp(-(6nd + 1)² / (18n)), as SciPy does.
 */
export function smirnovSf(n: number, d: number): number {
  if (d <= 0) {
    return 1;
  }
  if (d >= 1) {
    return 0;
  }
  if (n > SMIRNOV_EXACT_MAX_N) {
    return Math.exp(-((6 * n * d + 1) ** 2) / (18 * n));
  }

  const last = Math.floor(n * (1 - d));
  let logBinomial = 0;
  let total = 0;
  for (let j = 0; j <= last; j += 1) {
    if (j > 0) {
      logBinomial += Math.log((n - j + 1) / j);
    }
    const rest = 1 - d - j / n;
    const head = d + j / n;
    let logRest = n === j ? 0 : -Infinity;
    if (rest > 0) {
      logRest = (n - j) * Math.log(rest);
    }
    total += Math.exp(logBinomial + logRest + (j - 1) * Math.log(head));
  }
  return clip(d * total);
}

/**
 * P(D_n < d) by Durbin's matrix: with k = ⌈nd⌉, h = k - nd and m = 2k - 1, the m × m matrix
 * H has H[i][j] = 1/(i - j + 1)! for i - j + 1 ≥ 0, a first column and last row corrected by
 * h, and P = n!/n^n · (H^n)[k-1][k-1]. Powers are rescaled by 2^-128 to avoid overflow.
 */
function durbinCdf(n: number, d: number): number {
  const k = Math.ceil(n * d);
  const h = k - n * d;
  const m = 2 * k - 1;
  const matrix = durbinMatrix(m, h);

  let power = identity(m);
  let base = matrix;
  let powerExponent = 0;
  let baseExponent = 0;
  for (let e = n; e > 0; e = Math.floor(e / 2)) {
    if (e % 2 === 1) {
      power = multiply(power, base, m);
      powerExponent += baseExponent + rescale(power);
    }
    base = multiply(base, base, m);
    baseExponent = 2 * baseExponent + rescale(base);
  }

  const entry = power[(k - 1) * m + (k - 1)] as number;
  if (entry <= 0) {
    return 0;
  }
  return clip(Math.exp(Math.log(entry) + powerExponent * LN2 + logFactorialOverPower(n)));
}

function durbinMatrix(m: number, h: number): Float64Array {
  const matrix = new Float64Array(m * m);
  const inverseFactorial = [1];
  for (let i = 1; i <= m; i += 1) {
    inverseFactorial.push((inverseFactorial[i - 1] as number) / i);
  }

  for (let i = 0; i < m; i += 1) {
    for (let j = 0; j <= Math.min(i + 1, m - 1); j += 1) {
      matrix[i * m + j] = inverseFactorial[i - j + 1] as number;
    }
  }
  for (let i = 0; i < m; i += 1) {
    const edge = (1 - h ** (i + 1)) * (inverseFactorial[i + 1] as number);
    matrix[i * m] = edge;
    matrix[(m - 1) * m + (m - 1 - i)] = edge;
  }
  const corner = 1 - 2 * h ** m + Math.max(0, 2 * h - 1) ** m;
  matrix[(m - 1) * m] = corner * (inverseFactorial[m] as number);
  return matrix;
}

/**
 * P(D_n < d) by the Pelz-Good expansion K0(z) + K1(z)/√n + K2(z)/n + K3(z)/n^1.5 with
 * z = d√n, each K_i written as a theta series that converges fast for small z.
 */
function pelzGoodCdf(n: number, d: number): number {
  const z = Math.sqrt(n) * d;
  const z2 = z * z;
  if (-PI2 / (8 * z2) < -708) {
    return 0;
  }

  const terms = [0, 0, 0, 0];
  const kMax = Math.ceil((16 * z) / Math.PI);
  for (let k = 1; k <= kMax; k += 1) {
    const u2 = (k - 0.5) ** 2;
    const weight = Math.exp((-PI2 * u2) / (2 * z2));
    terms[0] += weight;
    terms[1] += weight * (PI2 * u2 - z2);
    terms[2] +=
      weight *
      (6 * z2 ** 3 +
        2 * z2 ** 2 +
        PI2 * (2 * z2 ** 2 - 5 * z2) * u2 +
        PI4 * (1 - 2 * z2) * u2 ** 2);
    terms[3] +=
      weight *
      (-30 * z2 ** 3 -
        90 * z2 ** 4 +
        PI2 * (135 * z2 ** 2 - 96 * z2 ** 3) * u2 +
        PI4 * (212 * z2 ** 2 - 60 * z2) * u2 ** 2 +
        PI6 * (5 - 30 * z2) * u2 ** 3);
  }
  let extra2 = 0;
  let extra3 = 0;
  for (let k = 1; k <= kMax; k += 1) {
    const weight = k * k * Math.exp((-PI2 * k * k) / (2 * z2));
    extra2 += weight;
    extra3 += weight * (3 * z2 - PI2 * k * k);
  }

  const k0 = (SQRT_TWO_PI / z) * terms[0];
  const k1 = (SQRT_TWO_PI / (6 * z2 ** 2)) * terms[1];
  const k2 =
    (SQRT_TWO_PI / (72 * z ** 7)) * terms[2] - (PI2 * SQRT_TWO_PI * extra2) / (36 * z ** 3);
  const k3 =
    (SQRT_TWO_PI / (6480 * z ** 10)) * terms[3] + (PI2 * SQRT_TWO_PI * extra3) / (216 * z ** 6);
  return k0 + k1 / Math.sqrt(n) + k2 / n + k3 / n ** 1.5;
}

// ln(n! / n^n), by log-gamma through Stirling's series with the n·ln n term cancelled.
function logFactorialOverPower(n: number): number {
  if (n < 50) {
    let total = 0;
    for (let i = 1; i <= n; i += 1) {
      total += Math.log(i / n);
    }
    return total;
  }
  const r = 1 / n;
  const series = r * (1 / 12 - (r * r) / 360 + (r * r * r * r) / 1260 - r ** 6 / 1680);
  return 0.5 * Math.log(n) - n + 0.5 * Math.log(2 * Math.PI) + series;
}

function identity(m: number): Float64Array {
  const matrix = new Float64Array(m * m);
  for (let i = 0; i < m; i += 1) {
    matrix[i * m + i] = 1;
  }
  return matrix;
}

function multiply(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const product = new Float64Array(m * m);
  for (let i = 0; i < m; i += 1) {
    for (let l = 0; l < m; l += 1) {
      const left = a[i * m + l] as number;
      if (left === 0) {
        continue;
      }
      for (let j = 0; j < m; j += 1) {
        product[i * m + j] += left * (b[l * m + j] as number);
      }
    }
  }
  return product;
}

// Divides the matrix by 2^128 while its largest entry exceeds 2^128; returns the exponent removed.
function rescale(matrix: Float64Array): number {
  let largest = 0;
  for (const entry of matrix) {
    largest = Math.max(largest, Math.abs(entry));
  }

  let removed = 0;
  while (largest > SCALE_UP) {
    for (let i = 0; i < matrix.length; i += 1) {
      matrix[i] = (matrix[i] as number) * SCALE_DOWN;
    }
    largest *= SCALE_DOWN;
    removed += SCALE_EXPONENT;
  }
  return removed;
}

function clip(p: number): number {
  return Math.min(1, Math.max(0, p));
}
