/**
 * Evaluation times are epoch-aligned: a group with interval I evaluates at the multiples of I
 * (epoch milliseconds), in wall time and in event time alike, so a replay evaluates at the
 * same times as a live run.
 */

/** Returns the first multiple of `intervalMs` strictly after `time`. */
export function nextBoundaryAfter(time: number, intervalMs: number): number {
  return (Math.floor(time / intervalMs) + 1) * intervalMs;
}

/** Returns the last multiple of `intervalMs` at or before `time`. */
export function boundaryAtOrBefore(time: number, intervalMs: number): number {
  return Math.floor(time / intervalMs) * intervalMs;
}
