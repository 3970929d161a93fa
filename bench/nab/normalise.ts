import type { CostMatrix } from './profiles.ts';

/**
 * Normalises a raw NAB score as NAB's runner does: 100 · (raw − null) / (perfect − null). `null` is
 * the raw score of a detector that detects nothing (−fn per scored window); `perfect` is tp times
 * NAB's count of every labelled window. So the null detector scores 0, and a detector that fires
 * at the left edge of every window and nowhere else scores 100. Without windows this is NaN.
 */
export function normaliseScore(
  raw: number,
  windowCount: number,
  scoredWindowCount: number,
  cost: CostMatrix,
): number {
  const nullRaw = -cost.fnWeight * scoredWindowCount;
  const perfectRaw = cost.tpWeight * windowCount;
  if (perfectRaw === nullRaw) return NaN;
  return (100 * (raw - nullRaw)) / (perfectRaw - nullRaw);
}
