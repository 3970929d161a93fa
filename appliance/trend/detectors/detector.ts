/**
 * A streaming anomaly detector for one series: one point in, one score in [0, 1] out, with
 * state bounded when constructed. `update` never throws and allocates nothing per point, except
 * where a detector says so (k-means allocates when it retrains).
 */
export interface AnomalyDetector {
  /**
   * Scores the point at `timestamp` (epoch ms) against the points before it, then learns from it.
   * Returns NaN while warming up or for a non-finite value; `status` then says why. A timestamp
   * before the previous one is treated as equal to it, so a step back in time keeps the order.
   */
  update(timestamp: number, value: number): number;
  /** Reason the latest score is NaN, or undefined when it is a number. */
  status(): string | undefined;
  /** Estimate of the bytes of state this instance keeps, for capacity planning. */
  stateBytes(): number;
}

/** Detector name and constructor from an options object, as rules and benchmarks use them. */
export interface AnomalyDetectorFactory<Options = Record<string, unknown>> {
  name: string;
  create(options?: Partial<Options>): AnomalyDetector;
}

/** Reason for a non-finite input value; shared so every detector words it the same. */
export const NON_FINITE_REASON = 'value is not a finite number; the point was skipped';

/** Surprise −log10(p) at which `scoreFromPValue` is 0.5. */
export const HALF_SCORE_SURPRISE = 6;

/**
 * Maps a p-value to a score in [0, 1] on a log scale: s = −log10(p), score = s / (s + 6). So
 * p = 1e-3 scores 0.333, 1e-6 scores 0.5 and 1e-12 scores 0.667. Unlike 1 - p, which rounds to 1
 * for every p below 1.1e-16, the score keeps ranking extreme points down to p near 1e-308, which a
 * threshold search, a hold-off and an ensemble need.
 */
export function scoreFromPValue(p: number): number {
  if (Number.isNaN(p)) return NaN;
  const surprise = p > 0 ? Math.max(0, -Math.log10(p)) : 308;
  return surprise / (surprise + HALF_SCORE_SURPRISE);
}
