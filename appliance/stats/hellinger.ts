/**
 * Hellinger distance between the shares of two count vectors over the same bins:
 * H = √(Σ (√p_i - √q_i)² / 2), from 0 (same shares) to 1 (disjoint supports). This form
 * equals √(1 - Σ √(p_i q_i)) but keeps its precision for nearly equal shares.
 */
export function hellingerDistance(
  reference: readonly number[],
  current: readonly number[],
): number {
  const referenceTotal = reference.reduce((sum, count) => sum + count, 0);
  const currentTotal = current.reduce((sum, count) => sum + count, 0);
  if (referenceTotal === 0 || currentTotal === 0) {
    return NaN;
  }

  let sum = 0;
  for (let i = 0; i < reference.length; i += 1) {
    const root = Math.sqrt((reference[i] as number) / referenceTotal);
    const other = Math.sqrt((current[i] as number) / currentTotal);
    sum += (root - other) ** 2;
  }
  return Math.min(1, Math.sqrt(sum / 2));
}
