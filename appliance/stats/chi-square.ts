import { chiSquareSf } from './gamma.ts';

/** Result of a chi-square test of homogeneity between a reference and a current sample. */
export interface ChiSquareResult {
  statistic: number;
  /** (2 - 1) · (k - 1) for k categories in the union; 0 when only one category occurs. */
  dof: number;
  pValue: number;
  /** Categories in the union, the columns of the 2 × k table. */
  categories: number;
  /** Share of current rows whose category has no reference row; NaN for an empty current. */
  unseenRate: number;
  nReference: number;
  nCurrent: number;
}

/**
 * Pearson chi-square test of homogeneity on the 2 × k contingency table of reference and
 * current counts over the union of their categories, as `scipy.stats.chi2_contingency` with
 * `correction=False`: no Yates correction, at dof 1 included. A test of homogeneity, not of
 * goodness of fit, so a category the reference never saw gives a finite statistic. With one
 * category the table has no variation: statistic 0, dof 0 and p-value 1, as SciPy returns.
 * An empty sample gives NaN everywhere but the sizes.
 */
export function chiSquareHomogeneity(
  reference: ReadonlyMap<string, number>,
  current: ReadonlyMap<string, number>,
): ChiSquareResult {
  const categories = [...new Set([...reference.keys(), ...current.keys()])].filter(
    (category) => (reference.get(category) ?? 0) + (current.get(category) ?? 0) > 0,
  );
  const nReference = sumCounts(reference);
  const nCurrent = sumCounts(current);
  const result = { categories: categories.length, nReference, nCurrent };

  if (nReference === 0 || nCurrent === 0) {
    return { ...result, statistic: NaN, dof: NaN, pValue: NaN, unseenRate: NaN };
  }

  const unseenRate = unseenShare(reference, current, nCurrent);
  const statistic = pearsonStatistic(categories, reference, current, nReference, nCurrent);
  const dof = categories.length - 1;
  const pValue = dof === 0 ? 1 : chiSquareSf(statistic, dof);
  return { ...result, statistic, dof, pValue, unseenRate };
}

function pearsonStatistic(
  categories: readonly string[],
  reference: ReadonlyMap<string, number>,
  current: ReadonlyMap<string, number>,
  nReference: number,
  nCurrent: number,
): number {
  const total = nReference + nCurrent;
  let statistic = 0;

  for (const category of categories) {
    const observedReference = reference.get(category) ?? 0;
    const observedCurrent = current.get(category) ?? 0;
    const column = observedReference + observedCurrent;
    const expectedReference = (nReference * column) / total;
    const expectedCurrent = (nCurrent * column) / total;
    statistic += (observedReference - expectedReference) ** 2 / expectedReference;
    statistic += (observedCurrent - expectedCurrent) ** 2 / expectedCurrent;
  }
  return statistic;
}

function unseenShare(
  reference: ReadonlyMap<string, number>,
  current: ReadonlyMap<string, number>,
  nCurrent: number,
): number {
  let unseen = 0;
  for (const [category, count] of current) {
    if ((reference.get(category) ?? 0) === 0) {
      unseen += count;
    }
  }
  return unseen / nCurrent;
}

function sumCounts(counts: ReadonlyMap<string, number>): number {
  let total = 0;
  for (const count of counts.values()) {
    total += count;
  }
  return total;
}
