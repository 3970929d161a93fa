import type { ColumnProfile } from '../../sketch/column-profile.ts';
import type { ColumnSample } from '../../stats/samples.ts';
import { isCategorical } from '../../stats/samples.ts';
import type { DriftPair, SketchPair } from '../drift-pairs.ts';
import { countOf } from '../features.ts';
import { isCategoricalProfile } from './sketch-output.ts';

/**
 * The test `drift.auto` runs on a feature, chosen from the column type, the number of distinct
 * values in reference and current together, and the smaller of the two sample sizes:
 *
 * | column                                     | distinct | min(n_ref, n_cur) | test         |
 * | ------------------------------------------ | -------- | ----------------- | ------------ |
 * | any                                        | 2        | ≤ large_sample    | ztest        |
 * | categorical, or numeric with ≤ 5 distinct  | other    | ≤ large_sample    | chi2         |
 * | categorical, or numeric with ≤ 5 distinct  | any      | > large_sample    | js (base 2)  |
 * | numeric with > 5 distinct                  | > 5      | ≤ large_sample    | ks           |
 * | numeric with > 5 distinct                  | > 5      | > large_sample    | wasserstein  |
 *
 * Above `large_sample` (default 1000) a p-value flags shifts too small to matter, so the
 * choice moves to a distance compared with a threshold. A numeric column with at most 5
 * distinct values is a coded category, which chi-square and Jensen-Shannon compare by value.
 * On a sketch pair the distinct values are those the sketches retain, all of them while a
 * side has fewer values than the KLL capacity and the top-k capacity, and a lower bound after.
 */

export type DriftTest =
  'ks' | 'psi' | 'chi2' | 'js' | 'wasserstein' | 'hellinger' | 'ztest' | 'ad' | 'cvm';

export const DRIFT_TESTS: readonly DriftTest[] = [
  'ks',
  'psi',
  'chi2',
  'js',
  'wasserstein',
  'hellinger',
  'ztest',
  'ad',
  'cvm',
];

export const DEFAULT_LARGE_SAMPLE = 1000;
const CODED_CATEGORY_MAX_DISTINCT = 5;

export interface AutoChoice {
  test: DriftTest;
  /** The table row that matched, in words, for the result's convention. */
  rule: string;
}

/** Chooses the test for one feature pair by the table above. */
export function chooseTest(pair: DriftPair, largeSample = DEFAULT_LARGE_SAMPLE): AutoChoice {
  const sketch = pair.sample === 'sketch';
  const distinct = sketch ? distinctRetained(pair) : distinctValues(pair.reference, pair.current);
  const size = sketch
    ? Math.min(pair.reference.size, pair.current.size)
    : Math.min(countOf(pair.reference), countOf(pair.current));
  const large = size > largeSample;
  const sizeText = `min(n_ref, n_cur) = ${size} ${large ? '>' : '≤'} ${largeSample}`;
  const categoricalType = sketch
    ? isCategoricalProfile(pair)
    : isCategorical(pair.reference, pair.current);
  const categorical = categoricalType || distinct <= CODED_CATEGORY_MAX_DISTINCT;
  const kind = categoricalType ? 'categorical' : 'numeric';

  if (categorical && large) {
    return { test: 'js', rule: `${kind}, ${distinct} distinct values, ${sizeText}` };
  }
  if (distinct === 2) {
    return { test: 'ztest', rule: `${kind}, 2 distinct values, ${sizeText}` };
  }
  if (categorical) {
    return { test: 'chi2', rule: `${kind}, ${distinct} distinct values, ${sizeText}` };
  }
  const test = large ? 'wasserstein' : 'ks';
  return { test, rule: `numeric, ${distinct} distinct values, ${sizeText}` };
}

/** Distinct values the two profiles retain, numbers by value and categories by text. */
function distinctRetained(pair: SketchPair): number {
  const seen = new Set<string | number>();
  const add = (profile: ColumnProfile) => {
    const { categories, other } = profile.categories.entries();
    for (const [category] of categories) seen.add(category);
    if (other > 0) seen.add('\u0000other');
    for (const value of profile.numbers.weightedItems().values) seen.add(value);
  };
  add(pair.reference);
  add(pair.current);
  return seen.size;
}

/** Distinct values of both samples together; numbers count by value, as chi-square does. */
function distinctValues(reference: ColumnSample, current: ColumnSample): number {
  const seen = new Set<string | number>();
  for (const sample of [reference, current]) {
    for (const value of sample.categories) seen.add(value);
    for (const value of sample.numbers) seen.add(value);
  }
  return seen.size;
}
