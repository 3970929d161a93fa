/**
 * Population stability index, PSI = Σ (c_i - r_i) · ln(c_i / r_i), over the shares r_i of the
 * reference and c_i of the current sample in each bin or category.
 *
 * Empty-bin rule: a share of 0 on either side is replaced by
 * `floor = min(epsilon, smallest non-zero share on either side / 2)`, so the replacement never
 * exceeds the smallest real share and PSI stays finite. Shares are not renormalised after the
 * replacement. Bins empty on both sides contribute 0.
 *
 * Numeric binning rule: interior edges are the reference quantiles at k / bins for
 * k = 1 … bins - 1 (linear interpolation, NumPy's default `quantile` method), with duplicate
 * edges merged, so ties can give fewer bins than requested. Bins are [e_k, e_k+1), with
 * (-∞, e_1) first and [e_last, +∞) last; a value equal to an edge belongs to the bin above it.
 */

export const DEFAULT_PSI_BINS = 10;
export const DEFAULT_PSI_EPSILON = 1e-4;

export interface PsiResult {
  statistic: number;
  /** Bins used after merging duplicate edges, or categories in the union. */
  bins: number;
  /** The share that replaced empty shares, or NaN when no share was empty. */
  emptyShare: number;
  nReference: number;
  nCurrent: number;
}

/** PSI of two count vectors over the same bins; NaN statistic when either side is empty. */
export function psiFromCounts(
  reference: readonly number[],
  current: readonly number[],
  epsilon = DEFAULT_PSI_EPSILON,
): PsiResult {
  const nReference = sum(reference);
  const nCurrent = sum(current);
  const result = { bins: reference.length, nReference, nCurrent };
  if (nReference === 0 || nCurrent === 0) {
    return { ...result, statistic: NaN, emptyShare: NaN };
  }

  const referenceShares = reference.map((count) => count / nReference);
  const currentShares = current.map((count) => count / nCurrent);
  const floor = emptyShareFloor(referenceShares, currentShares, epsilon);
  let statistic = 0;
  let replaced = false;

  for (let i = 0; i < referenceShares.length; i += 1) {
    const r = referenceShares[i] as number;
    const c = currentShares[i] as number;
    if (r === 0 && c === 0) {
      continue;
    }
    replaced ||= r === 0 || c === 0;
    const rShare = r === 0 ? floor : r;
    const cShare = c === 0 ? floor : c;
    statistic += (cShare - rShare) * Math.log(cShare / rShare);
  }
  return { ...result, statistic, emptyShare: replaced ? floor : NaN };
}

/** PSI over reference-quantile bins of two numeric samples. */
export function psiNumeric(
  reference: readonly number[],
  current: readonly number[],
  bins = DEFAULT_PSI_BINS,
  epsilon = DEFAULT_PSI_EPSILON,
): PsiResult & { edges: number[] } {
  const edges = quantileEdges(reference, bins);
  const referenceCounts = countInBins(reference, edges);
  const currentCounts = countInBins(current, edges);
  return { ...psiFromCounts(referenceCounts, currentCounts, epsilon), edges };
}

/** PSI over the union of categories of two category counts. */
export function psiCategorical(
  reference: ReadonlyMap<string, number>,
  current: ReadonlyMap<string, number>,
  epsilon = DEFAULT_PSI_EPSILON,
): PsiResult {
  const categories = [...new Set([...reference.keys(), ...current.keys()])];
  const referenceCounts = categories.map((category) => reference.get(category) ?? 0);
  const currentCounts = categories.map((category) => current.get(category) ?? 0);
  return psiFromCounts(referenceCounts, currentCounts, epsilon);
}

/** Interior bin edges: distinct reference quantiles at k / bins, ascending. */
export function quantileEdges(reference: readonly number[], bins: number): number[] {
  if (reference.length === 0) {
    return [];
  }
  const sorted = Float64Array.from(reference).sort();
  const edges: number[] = [];

  for (let k = 1; k < bins; k += 1) {
    const edge = quantileSorted(sorted, k / bins);
    if (edges.length === 0 || edge > (edges[edges.length - 1] as number)) {
      edges.push(edge);
    }
  }
  return edges;
}

/** Counts per bin for the edges of `quantileEdges`: bin i contains edges[i-1] ≤ x < edges[i]. */
export function countInBins(values: readonly number[], edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (const value of values) {
    const bin = upperBound(edges, value);
    counts[bin] = (counts[bin] as number) + 1;
  }
  return counts;
}

function emptyShareFloor(
  referenceShares: readonly number[],
  currentShares: readonly number[],
  epsilon: number,
): number {
  let smallest = Infinity;
  for (const share of [...referenceShares, ...currentShares]) {
    if (share > 0 && share < smallest) {
      smallest = share;
    }
  }
  return Math.min(epsilon, smallest / 2);
}

// Linear interpolation between order statistics at position p · (n - 1).
function quantileSorted(sorted: Float64Array, p: number): number {
  const position = p * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.min(lower + 1, sorted.length - 1);
  const fraction = position - lower;
  const low = sorted[lower] as number;
  const high = sorted[upper] as number;
  return fraction === 0 ? low : low + (high - low) * fraction;
}

// Number of edges ≤ value, by binary search.
function upperBound(edges: readonly number[], value: number): number {
  let low = 0;
  let high = edges.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((edges[middle] as number) <= value) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  return low;
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const value of values) {
    total += value;
  }
  return total;
}
