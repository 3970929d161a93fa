/**
 * Adjusted p-values for testing many features at once. Each function returns one adjusted
 * p-value per input, in input order, capped at 1. NaN inputs stay NaN and do not count
 * towards m, the number of tests.
 */

export type Correction = 'none' | 'bonferroni' | 'bh';

/** Bonferroni: min(1, m · p). Controls the family-wise error rate under any dependence. */
export function bonferroni(pValues: readonly number[]): number[] {
  const m = pValues.filter((p) => !Number.isNaN(p)).length;
  return pValues.map((p) => (Number.isNaN(p) ? NaN : Math.min(1, p * m)));
}

/**
 * Benjamini-Hochberg step-up adjustment, as `scipy.stats.false_discovery_control(p,
 * method='bh')`: with p sorted ascending, adjusted p_(i) = min over j ≥ i of m · p_(j) / j.
 * Controls the false discovery rate for independent or positively dependent tests.
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const finite = pValues.map((p, i) => ({ p, i })).filter(({ p }) => !Number.isNaN(p));
  finite.sort((a, b) => a.p - b.p);
  const m = finite.length;
  const adjusted = pValues.map(() => NaN);

  let running = 1;
  for (let rank = m; rank >= 1; rank -= 1) {
    const { p, i } = finite[rank - 1]!;
    running = Math.min(running, (m * p) / rank);
    adjusted[i] = running;
  }
  return adjusted;
}

/** Applies `correction` to the p-values; `none` returns a copy. */
export function adjustPValues(pValues: readonly number[], correction: Correction): number[] {
  if (correction === 'bonferroni') return bonferroni(pValues);
  if (correction === 'bh') return benjaminiHochberg(pValues);
  return [...pValues];
}
