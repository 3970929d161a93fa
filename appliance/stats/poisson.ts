import { logGamma, regularizedGammaQ } from './gamma.ts';

/**
 * Upper tail P(X ≥ k) of a Poisson distribution with mean `mean`, extended to real k > 0 as the
 * regularised lower incomplete gamma function P(k, mean) (for integer k the two are equal). Below
 * k = mean + 1 the series is summed directly, so tails far below 1e-16 keep their precision,
 * which 1 - Q(k, mean) would lose. Returns 1 for k ≤ 0 and NaN for a negative or NaN mean.
 */
export function poissonUpperTail(k: number, mean: number): number {
  if (!(mean >= 0) || Number.isNaN(k)) return NaN;
  if (k <= 0) return 1;
  if (mean === 0) return 0;
  if (mean >= k + 1) return 1 - regularizedGammaQ(k, mean);

  // P(a, x) = x^a e^-x / Γ(a + 1) · Σ_n x^n / ((a + 1)(a + 2)…(a + n)).
  let term = 1;
  let sum = 1;
  for (let n = 1; n < 10_000; n += 1) {
    term *= mean / (k + n);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return Math.exp(k * Math.log(mean) - mean - logGamma(k + 1)) * sum;
}
