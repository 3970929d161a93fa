/**
 * Jensen-Shannon distance between the shares of two count vectors over the same bins, as
 * `scipy.spatial.distance.jensenshannon`: the square root of
 * (KL(p ‖ m) + KL(q ‖ m)) / 2 with m = (p + q) / 2, in logarithms of `base`. With base 2,
 * the default here, it runs from 0 to 1 (disjoint supports). No empty-bin rule is needed,
 * because 0 · ln 0 is 0 and m is positive wherever p or q is.
 */
export const DEFAULT_JS_BASE = 2;

/** Distance; NaN when either side has no counts. */
export function jensenShannonDistance(
  reference: readonly number[],
  current: readonly number[],
  base = DEFAULT_JS_BASE,
): number {
  const referenceTotal = reference.reduce((sum, count) => sum + count, 0);
  const currentTotal = current.reduce((sum, count) => sum + count, 0);
  if (referenceTotal === 0 || currentTotal === 0) {
    return NaN;
  }

  let divergence = 0;
  for (let i = 0; i < reference.length; i += 1) {
    const p = (reference[i] as number) / referenceTotal;
    const q = (current[i] as number) / currentTotal;
    const m = (p + q) / 2;
    divergence += relativeEntropy(p, m) + relativeEntropy(q, m);
  }
  // Rounding can leave a tiny negative sum for identical inputs.
  return Math.sqrt(Math.max(0, divergence / Math.log(base) / 2));
}

function relativeEntropy(x: number, y: number): number {
  return x === 0 ? 0 : x * Math.log(x / y);
}
