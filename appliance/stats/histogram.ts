import { categoryValues, countCategories, isCategorical, type ColumnSample } from './samples.ts';

/**
 * Equal-width histogram counts of two samples over their combined range, by the rules of
 * NumPy's `np.histogram(values, bins, range=(low, high))`. Edges are
 * `np.linspace(low, high, bins + 1)`, and bins are [e_i, e_i+1) with the last one closed. A
 * range of one point is widened to [low - 0.5, high + 0.5]. Sharing the range keeps a
 * current sample outside the reference range visible.
 */
export interface PairedHistogram {
  reference: number[];
  current: number[];
  edges: number[];
}

export function pairedHistogram(
  reference: readonly number[],
  current: readonly number[],
  bins: number,
): PairedHistogram {
  let low = Infinity;
  let high = -Infinity;
  for (const value of [...reference, ...current]) {
    low = Math.min(low, value);
    high = Math.max(high, value);
  }
  if (low === high) {
    low -= 0.5;
    high += 0.5;
  }

  const edges = linspace(low, high, bins + 1);
  return {
    reference: countInEqualBins(reference, edges),
    current: countInEqualBins(current, edges),
    edges,
  };
}

// As np.linspace: start + i · step, with the last edge set to the stop exactly.
function linspace(start: number, stop: number, count: number): number[] {
  const step = (stop - start) / (count - 1);
  const edges = Array.from({ length: count }, (_, i) => start + i * step);
  edges[count - 1] = stop;
  return edges;
}

// Bin index from the scaled position, corrected against the edges as NumPy does.
function countInEqualBins(values: readonly number[], edges: readonly number[]): number[] {
  const bins = edges.length - 1;
  const low = edges[0] as number;
  const scale = bins / ((edges[bins] as number) - low);
  const counts = new Array<number>(bins).fill(0);

  for (const value of values) {
    let index = Math.min(bins - 1, Math.max(0, Math.floor((value - low) * scale)));
    if (value < (edges[index] as number)) {
      index -= 1;
    } else if (index !== bins - 1 && value >= (edges[index + 1] as number)) {
      index += 1;
    }
    counts[index] = (counts[index] as number) + 1;
  }
  return counts;
}

/** Counts of a sample pair and how they were binned, for the binned distances. */
export interface BinnedPair {
  reference: number[];
  current: number[];
  binning: string;
  bins: number;
}

/**
 * Bins a sample pair: categorical pairs (any string or boolean value) over the union of
 * categories, numbers by their decimal text, and numeric pairs by `pairedHistogram`.
 */
export function binSamples(
  reference: ColumnSample,
  current: ColumnSample,
  bins: number,
): BinnedPair {
  if (isCategorical(reference, current)) {
    const referenceCounts = countCategories(categoryValues(reference));
    const currentCounts = countCategories(categoryValues(current));
    const categories = [...new Set([...referenceCounts.keys(), ...currentCounts.keys()])];
    return {
      reference: categories.map((category) => referenceCounts.get(category) ?? 0),
      current: categories.map((category) => currentCounts.get(category) ?? 0),
      binning: 'union of categories',
      bins: categories.length,
    };
  }
  const histogram = pairedHistogram(reference.numbers, current.numbers, bins);
  return {
    reference: histogram.reference,
    current: histogram.current,
    binning: 'equal width over the combined range, as np.histogram',
    bins,
  };
}
