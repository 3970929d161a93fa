import type { ColumnProfile } from '../../sketch/column-profile.ts';
import { DEFAULT_KLL_K } from '../../sketch/kll.ts';
import { equalWidthCounts } from '../../sketch/sketch-drift.ts';
import type { SketchPair } from '../drift-pairs.ts';
import type { Convention, EvaluationOutput } from '../evaluator.ts';

/**
 * Shared steps of the drift evaluators on the sketch path: sizes and missing counts from the
 * column profiles, the rank-error bound in the convention, and the counts the binned and
 * categorical statistics use.
 */

/**
 * Double-sided (CDF difference) normalised rank error of one KLL sketch at k = 200 with 99%
 * confidence, as Apache DataSketches documents for KLL with the same compaction scheme. A
 * statistic built from two CDFs, such as KS D, is within the sum of both sketches' errors.
 */
export const KLL_RANK_ERROR = 0.0165;

/** Builds a drift output of two profiles, with `sample: 'sketch'` and the error bounds. */
export function sketchDriftOutput(
  pair: SketchPair,
  values: Record<string, number> & { value: number },
  convention: Convention,
  reason?: string,
): EvaluationOutput {
  const counts = {
    n_reference: pair.reference.size,
    n_current: pair.current.size,
    missing_reference: pair.reference.missing,
    missing_current: pair.current.missing,
    non_finite_reference: pair.reference.nonFinite,
    non_finite_current: pair.current.nonFinite,
  };
  const output: EvaluationOutput = {
    labels: { feature: pair.feature },
    values: { ...values, ...counts },
    convention: { sample: 'sketch', ...errorBounds(pair), ...convention, ...counts },
  };
  if (reason !== undefined) output.reason = reason;
  return output;
}

function errorBounds(pair: SketchPair): Convention {
  const k = pair.reference.numbers.k;
  const bounds: Convention = { kll_k: k, top_k: pair.reference.categories.capacity };
  // The documented figure is for k = 200; other k values report no bound rather than a guess.
  if (k === DEFAULT_KLL_K && pair.current.numbers.k === k) {
    bounds.rank_error = KLL_RANK_ERROR;
    bounds.rank_error_rule = 'per sketch, double-sided, 99% confidence';
  }
  const undercount = Math.max(
    pair.reference.categories.maxUndercount(),
    pair.current.categories.maxUndercount(),
  );
  if (undercount > 0) bounds.max_category_undercount = undercount;
  return bounds;
}

/** Reason a sketch pair cannot be tested, when either side has no valid value. */
export function sketchEmptyReason(pair: SketchPair): string | undefined {
  for (const [side, profile] of [
    ['reference', pair.reference],
    ['current', pair.current],
  ] as const) {
    if (profile.size === 0) {
      return `feature "${pair.feature}" has no valid ${side} values (${profile.missing} missing, ${profile.nonFinite} non-finite)`;
    }
  }
  return undefined;
}

/** True when the pair must be compared as categories: any string or boolean value. */
export function isCategoricalProfile(pair: SketchPair): boolean {
  return pair.reference.categories.count > 0 || pair.current.categories.count > 0;
}

/**
 * Category counts of a profile: the top-k categories, the rest pooled as `other`, and the
 * numbers by their decimal text with the weights of the KLL items, as the exact path turns
 * numbers into categories. Numeric counts are estimates within the sketch's rank error.
 */
export function profileCategoryCounts(profile: ColumnProfile): Map<string, number> {
  const { categories, other } = profile.categories.entries();
  const counts = new Map(categories);
  if (other > 0) counts.set('\u0000other', other);
  if (profile.numbers.count === 0) return counts;

  const { values, cumulative } = profile.numbers.weightedItems();
  // Retained weights sum to the sketch's weight total, which can differ from the count by the
  // compaction's rounding, so they are scaled to the count.
  const scale = profile.numbers.count / cumulative[cumulative.length - 1]!;
  for (let i = 0; i < values.length; i += 1) {
    const weight = cumulative[i]! - (i === 0 ? 0 : cumulative[i - 1]!);
    const key = String(values[i]);
    counts.set(key, (counts.get(key) ?? 0) + weight * scale);
  }
  return counts;
}

/** Counts of both profiles over shared bins: categories, or equal-width bins of the numbers. */
export function sketchBins(
  pair: SketchPair,
  bins: number,
): { reference: number[]; current: number[]; binning: string; bins: number } {
  if (!isCategoricalProfile(pair)) {
    const counts = equalWidthCounts(pair.reference, pair.current, bins);
    return { ...counts, binning: 'equal width over the combined sketch range', bins };
  }
  const reference = profileCategoryCounts(pair.reference);
  const current = profileCategoryCounts(pair.current);
  const keys = [...new Set([...reference.keys(), ...current.keys()])];
  return {
    reference: keys.map((key) => reference.get(key) ?? 0),
    current: keys.map((key) => current.get(key) ?? 0),
    binning: 'top-k categories, other, and numbers as categories',
    bins: keys.length,
  };
}
