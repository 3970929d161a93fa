/**
 * Validation of detector options, so a bad value throws when the detector is constructed (never
 * when it scores) with the option, the value and the expected range.
 */

/** Returns `value` or `fallback`, checked to be a finite number in [min, max]. */
export function numberOption(
  detector: string,
  name: string,
  value: unknown,
  fallback: number,
  min: number,
  max = Infinity,
): number {
  const chosen = value ?? fallback;
  if (typeof chosen !== 'number' || !Number.isFinite(chosen) || chosen < min || chosen > max) {
    const range = max === Infinity ? `at least ${min}` : `from ${min} to ${max}`;
    throw new Error(
      `${detector}: option ${name} is invalid (got ${JSON.stringify(chosen)}); use a number ${range}`,
    );
  }
  return chosen;
}

/** Returns `value` or `fallback`, checked to be an integer of at least `min`. */
export function integerOption(
  detector: string,
  name: string,
  value: unknown,
  fallback: number,
  min: number,
): number {
  const chosen = numberOption(detector, name, value, fallback, min);
  if (!Number.isInteger(chosen)) {
    throw new Error(
      `${detector}: option ${name} is invalid (got ${chosen}); use a whole number of at least ${min}`,
    );
  }
  return chosen;
}
