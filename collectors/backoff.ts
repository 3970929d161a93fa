/** Retry delays for a collector whose read failed. */
export interface BackoffOptions {
  /** Delay ceiling of the first retry, in milliseconds. */
  initialMs: number;
  /** Largest delay ceiling, in milliseconds. */
  maxMs: number;
}

export const defaultBackoff: BackoffOptions = { initialMs: 1_000, maxMs: 60_000 };

/**
 * Returns the delay before retry number `attempt` (1 for the first retry): "full jitter", a
 * uniform draw from [0, min(maxMs, initialMs * 2^(attempt-1))), so many collectors failing on
 * one outage do not retry in step. `random` returns a value in [0, 1).
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions = defaultBackoff,
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  const ceiling = Math.min(options.maxMs, options.initialMs * 2 ** exponent);
  return Math.floor(random() * ceiling);
}
