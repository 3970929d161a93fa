/**
 * Splits a feature column into the values a statistical test uses and the counts it reports.
 * Missing: `null`, `undefined`, NaN, the empty string and the string `NaN` in any case.
 * Non-finite: ±Infinity and the strings `Infinity`, `+Infinity`, `-Infinity`, `inf`, `-inf`.
 * Both are excluded from the tests and counted separately, so a result can report them.
 */
export interface ColumnSample {
  /** Finite numbers, in input order. */
  numbers: number[];
  /** String and boolean values, booleans as `true` / `false`. */
  categories: string[];
  missing: number;
  nonFinite: number;
}

const MISSING_STRINGS = new Set(['', 'nan']);
const NON_FINITE_STRINGS = new Set(['infinity', '+infinity', '-infinity', 'inf', '+inf', '-inf']);

export function splitColumn(values: readonly unknown[]): ColumnSample {
  const sample: ColumnSample = { numbers: [], categories: [], missing: 0, nonFinite: 0 };

  for (const value of values) {
    if (typeof value === 'number') {
      addNumber(sample, value);
    } else if (typeof value === 'string') {
      addString(sample, value);
    } else if (typeof value === 'boolean') {
      sample.categories.push(String(value));
    } else {
      sample.missing += 1;
    }
  }
  return sample;
}

function addNumber(sample: ColumnSample, value: number): void {
  if (Number.isNaN(value)) {
    sample.missing += 1;
  } else if (!Number.isFinite(value)) {
    sample.nonFinite += 1;
  } else {
    sample.numbers.push(value);
  }
}

function addString(sample: ColumnSample, value: string): void {
  const folded = value.trim().toLowerCase();
  if (MISSING_STRINGS.has(folded)) {
    sample.missing += 1;
  } else if (NON_FINITE_STRINGS.has(folded)) {
    sample.nonFinite += 1;
  } else {
    sample.categories.push(value);
  }
}

/** True when a column pair must be compared as categories: any string or boolean value. */
export function isCategorical(reference: ColumnSample, current: ColumnSample): boolean {
  return reference.categories.length > 0 || current.categories.length > 0;
}

/** Converts every value to a category label, numbers by `String(n)`, for mixed columns. */
export function categoryValues(sample: ColumnSample): string[] {
  return sample.categories.concat(sample.numbers.map((value) => String(value)));
}

/** Counts per category, in first-seen order. */
export function countCategories(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) {
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  return counts;
}
