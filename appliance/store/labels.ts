import type { LabelMatchers } from './store.ts';

/**
 * Returns the canonical JSON text of a labelset: keys sorted, so two labelsets with the same
 * pairs in another order map to the same series.
 */
export function canonicalLabels(labels: Readonly<Record<string, string>>): string {
  const sorted: Record<string, string> = Object.create(null);
  for (const name of Object.keys(labels).sort()) sorted[name] = labels[name]!;
  return JSON.stringify(sorted);
}

/**
 * Returns true when every matcher names a label of `labels` with the same value. An empty
 * matcher set selects every series of the name.
 */
export function matchesLabels(
  labels: Readonly<Record<string, string>>,
  matchers: LabelMatchers,
): boolean {
  for (const name of Object.keys(matchers)) {
    if (!Object.hasOwn(labels, name) || labels[name] !== matchers[name]) return false;
  }
  return true;
}
