/**
 * Log-gamma, the regularised upper incomplete gamma function Q(a, x) and the chi-square
 * survival function built on it. Q uses the power series of P(a, x) = 1 - Q(a, x) for
 * x < a + 1, where it converges fast, and Legendre's continued fraction for Q above,
 * evaluated by the modified Lentz method. On the golden cases, for dof 1 to 1000, the chi-square
 * survival function agrees with `scipy.stats.chi2.sf` within 1e-12 relative.
 */

// Lanczos approximation with g = 7 and nine coefficients, relative error near 1e-15.
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);
const EPSILON = 1e-16;
const TINY = 1e-300;
const MAX_ITERATIONS = 1_000_000;

/** ln Γ(x) for x > 0; reflection handles x < 0.5. NaN for x ≤ 0 at the poles. */
export function logGamma(x: number): number {
  if (x < 0.5) {
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  }

  const z = x - 1;
  let sum = LANCZOS[0] as number;
  for (let i = 1; i < LANCZOS.length; i += 1) {
    sum += (LANCZOS[i] as number) / (z + i);
  }
  const t = z + LANCZOS_G + 0.5;
  return HALF_LOG_TWO_PI + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Q(a, x) = Γ(a, x) / Γ(a) for a > 0 and x ≥ 0; NaN outside that domain. */
export function regularizedGammaQ(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) {
    return NaN;
  }
  if (x === 0) {
    return 1;
  }
  if (x === Infinity) {
    return 0;
  }
  if (x < a + 1) {
    return 1 - lowerSeries(a, x);
  }
  return upperContinuedFraction(a, x);
}

/** Chi-square survival function P(X ≥ statistic) with `dof` degrees of freedom. */
export function chiSquareSf(statistic: number, dof: number): number {
  if (!(dof > 0)) {
    return NaN;
  }
  return regularizedGammaQ(dof / 2, statistic / 2);
}

// P(a, x) = x^a e^-x / Γ(a) · Σ_n x^n / (a (a+1) … (a+n)).
function lowerSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;

  for (let n = 1; n < MAX_ITERATIONS; n += 1) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPSILON) {
      break;
    }
  }
  return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
}

// Q(a, x) = x^a e^-x / Γ(a) · 1 / (x + 1 - a - 1·(1 - a) / (x + 3 - a - 2·(2 - a) / (x + 5 - a - …))).
function upperContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;

  for (let i = 1; i < MAX_ITERATIONS; i += 1) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    d = Math.abs(d) < TINY ? TINY : d;
    c = b + an / c;
    c = Math.abs(c) < TINY ? TINY : c;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) {
      break;
    }
  }
  return h * Math.exp(-x + a * Math.log(x) - logGamma(a));
}
