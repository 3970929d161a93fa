/**
 * Least-squares line through (time, value) points with the intercept at a chosen time, as
 * Prometheus' `predict_linear` fits it. x is seconds relative to `at`, so the intercept is the
 * fitted value at `at`, and `predictLinear` adds slope · horizon to it. Sums are taken around the
 * mean time, which avoids the cancellation of raw epoch-ms squares.
 */
export interface LinearFit {
  /** Change of the value per second. */
  slope: number;
  /** Fitted value at the reference time. */
  intercept: number;
  points: number;
}

/** Fits the line; slope and intercept are NaN with fewer than two points or one distinct time. */
export function fitLine(
  times: ArrayLike<number>,
  values: ArrayLike<number>,
  at: number,
): LinearFit {
  let n = 0;
  let meanX = 0;
  let meanY = 0;
  for (let i = 0; i < times.length; i += 1) {
    if (!Number.isFinite(values[i]!)) continue;
    n += 1;
    meanX += ((times[i]! - at) / 1000 - meanX) / n;
    meanY += (values[i]! - meanY) / n;
  }

  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < times.length; i += 1) {
    if (!Number.isFinite(values[i]!)) continue;
    const dx = (times[i]! - at) / 1000 - meanX;
    sxx += dx * dx;
    sxy += dx * (values[i]! - meanY);
  }
  if (n < 2 || sxx === 0) return { slope: NaN, intercept: NaN, points: n };

  const slope = sxy / sxx;
  return { slope, intercept: meanY - slope * meanX, points: n };
}

/** Value the fitted line reaches `horizonSeconds` after `at`, as `predict_linear(v[w], h)`. */
export function predictLinear(
  times: ArrayLike<number>,
  values: ArrayLike<number>,
  at: number,
  horizonSeconds: number,
): number {
  const fit = fitLine(times, values, at);
  return fit.intercept + fit.slope * horizonSeconds;
}

/**
 * Computes the seconds until a line with this `level` and `slope` (per second) is `above` (≥)
 * or `below` (≤) `threshold`. Returns 0 when it already is, Infinity when the line is flat or
 * moves away, and NaN for NaN input.
 */
export function secondsToThreshold(
  level: number,
  slope: number,
  threshold: number,
  direction: 'above' | 'below',
): number {
  if (Number.isNaN(level) || Number.isNaN(slope) || Number.isNaN(threshold)) return NaN;
  const sign = direction === 'above' ? 1 : -1;
  const gap = sign * (threshold - level);
  if (gap <= 0) return 0;
  if (sign * slope <= 0) return Infinity;
  return gap / (sign * slope);
}
