import { canonicalLabels } from '../store/labels.ts';
import type { SeriesSamples } from '../store/store.ts';

/** Joins the stored (older) and in-memory (newer) parts of a read, series by series. */
export function concatSeries(
  older: readonly SeriesSamples[],
  recent: readonly SeriesSamples[],
): SeriesSamples[] {
  const byLabels = new Map<string, SeriesSamples>();
  for (const samples of [...older, ...recent]) {
    const key = canonicalLabels(samples.labels);
    const joined = byLabels.get(key);
    if (joined === undefined) {
      byLabels.set(key, {
        ...samples,
        timestamps: [...samples.timestamps],
        values: [...samples.values],
      });
      continue;
    }
    joined.timestamps.push(...samples.timestamps);
    joined.values.push(...samples.values);
  }
  return [...byLabels.keys()].sort().map((key) => byLabels.get(key)!);
}
