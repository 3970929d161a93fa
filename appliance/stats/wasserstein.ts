/**
 * Wasserstein-1 (earth mover's) distance between two samples, as
 * `scipy.stats.wasserstein_distance` without weights: ∫ |F(x) - G(x)| dx over the empirical
 * CDFs, in the unit of the values. The normalised form divides by the population standard
 * deviation of the reference, floored at `stdFloor` so a constant reference gives a finite
 * value, which makes one threshold usable across features of different scales.
 */
export const DEFAULT_STD_FLOOR = 1e-3;

export interface WassersteinResult {
  distance: number;
  normalized: number;
  /** Population (ddof 0) standard deviation of the reference. */
  referenceStd: number;
}

export function wasserstein(
  reference: readonly number[],
  current: readonly number[],
  stdFloor = DEFAULT_STD_FLOOR,
): WassersteinResult {
  if (reference.length === 0 || current.length === 0) {
    return { distance: NaN, normalized: NaN, referenceStd: NaN };
  }
  const distance = wassersteinDistance(
    Float64Array.from(reference).sort(),
    Float64Array.from(current).sort(),
  );
  const referenceStd = populationStd(reference);
  return { distance, normalized: distance / Math.max(referenceStd, stdFloor), referenceStd };
}

// Walks the merged order and adds |F - G| times the gap to the next value.
function wassersteinDistance(a: Float64Array, b: Float64Array): number {
  let i = 0;
  let j = 0;
  let total = 0;
  let previous = Math.min(a[0] as number, b[0] as number);

  while (i < a.length || j < b.length) {
    const value = Math.min(
      i < a.length ? (a[i] as number) : Infinity,
      j < b.length ? (b[j] as number) : Infinity,
    );
    total += Math.abs(i / a.length - j / b.length) * (value - previous);
    while (i < a.length && a[i] === value) i += 1;
    while (j < b.length && b[j] === value) j += 1;
    previous = value;
  }
  return total;
}

function populationStd(values: readonly number[]): number {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  const squares = values.reduce((sum, value) => sum + (value - mean) ** 2, 0);
  return Math.sqrt(squares / values.length);
}
