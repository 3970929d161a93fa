import { normalTwoSidedTail } from './robust.ts';

/**
 * Two-proportion z-test with the pooled variance, two-sided:
 * z = (p_c - p_r) / √(p (1 - p) (1/n_r + 1/n_c)) with
 * p the pooled share, and p-value 2 · (1 - Φ(|z|)). When the pooled share is 0 or 1 both
 * shares are equal, so z is 0 and the p-value 1.
 */
export interface TwoProportionResult {
  z: number;
  pValue: number;
  referenceShare: number;
  currentShare: number;
}

export function twoProportionZ(
  referenceHits: number,
  referenceTotal: number,
  currentHits: number,
  currentTotal: number,
): TwoProportionResult {
  if (referenceTotal === 0 || currentTotal === 0) {
    return { z: NaN, pValue: NaN, referenceShare: NaN, currentShare: NaN };
  }
  const referenceShare = referenceHits / referenceTotal;
  const currentShare = currentHits / currentTotal;
  const pooled = (referenceHits + currentHits) / (referenceTotal + currentTotal);
  const variance = pooled * (1 - pooled) * (1 / referenceTotal + 1 / currentTotal);
  if (variance === 0) {
    return { z: 0, pValue: 1, referenceShare, currentShare };
  }

  const z = (currentShare - referenceShare) / Math.sqrt(variance);
  return { z, pValue: normalTwoSidedTail(z), referenceShare, currentShare };
}
