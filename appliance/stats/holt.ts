import { normalQuantile } from './normal-quantile.ts';

/**
 * Holt's linear trend and Holt-Winters additive seasonal forecasts, in the error-correction
 * form of the ETS(A,A,N) and ETS(A,A,A) models:
 *   ŷ = l + b + s[t-m], e = y - ŷ, l += b + α·e, b += β·e, s[t] = s[t-m] + γ·e.
 * The smoothing weights are given here, and `fitHolt` (holt-fit.ts) fits them. Prediction
 * intervals use the analytic variance σ²·(1 + Σ_{j=1}^{h-1} c_j²) with
 * c_j = α + β·j + γ·[j mod m = 0], where σ² is the mean squared one-step error, as
 * `statsmodels` ETSModel reports for the same weights and initial states.
 */
export interface HoltOptions {
  alpha: number;
  beta: number;
  /** Seasonal weight; 0 with `period` 0 is Holt's linear trend. */
  gamma: number;
  /** Season length in points; 0 for no season. */
  period: number;
}

export interface HoltState {
  level: number;
  trend: number;
  /** Seasonal terms, oldest first: seasonal[i] applies to the i-th point after the last one, mod m. */
  seasonal: number[];
  /** Mean squared one-step error over the points after the initial ones. */
  sigma2: number;
  residuals: number;
}

export interface Forecast {
  mean: number;
  lower: number;
  upper: number;
}

/**
 * Computes initial states from the first points. With a season: level = mean of the first
 * season, trend = (mean of the second season - mean of the first) / m, seasonal = first season
 * minus the level. Without one: level = y0, trend = y1 - y0. Returns undefined with fewer than
 * two seasons (or two points). The golden test passes these states to statsmodels as 'known'.
 */
export function initialStates(values: ArrayLike<number>, period: number): HoltState | undefined {
  if (period === 0) {
    if (values.length < 2) return undefined;
    return {
      level: values[0]!,
      trend: values[1]! - values[0]!,
      seasonal: [],
      sigma2: NaN,
      residuals: 0,
    };
  }
  if (values.length < 2 * period) return undefined;

  let first = 0;
  let second = 0;
  for (let i = 0; i < period; i += 1) {
    first += values[i]! / period;
    second += values[period + i]! / period;
  }
  const seasonal = Array.from({ length: period }, (_, i) => values[i]! - first);
  return { level: first, trend: (second - first) / period, seasonal, sigma2: NaN, residuals: 0 };
}

/**
 * Runs the recursions over `values` from the given initial states (which describe the moment
 * before values[0]) and returns the states after the last value with σ².
 */
export function smooth(
  values: ArrayLike<number>,
  start: HoltState,
  options: HoltOptions,
): HoltState {
  const { alpha, beta, gamma, period } = options;
  let { level, trend } = start;
  const seasonal = start.seasonal.slice();
  let sse = 0;

  for (let i = 0; i < values.length; i += 1) {
    const season = period > 0 ? seasonal[i % period]! : 0;
    const error = values[i]! - (level + trend + season);
    sse += error * error;
    level += trend + alpha * error;
    trend += beta * error;
    if (period > 0) seasonal[i % period] = season + gamma * error;
  }

  // Rotate so seasonal[0] applies to the next point.
  const shift = period > 0 ? values.length % period : 0;
  const rotated = seasonal.slice(shift).concat(seasonal.slice(0, shift));
  return { level, trend, seasonal: rotated, sigma2: sse / values.length, residuals: values.length };
}

/** Forecast `h` ≥ 1 points ahead with a central prediction interval of `coverage` (0.95). */
export function forecast(
  state: HoltState,
  options: HoltOptions,
  h: number,
  coverage = 0.95,
): Forecast {
  const { alpha, beta, gamma, period } = options;
  const season = period > 0 ? state.seasonal[(h - 1) % period]! : 0;
  const mean = state.level + h * state.trend + season;

  let sum = 1;
  for (let j = 1; j < h; j += 1) {
    const c = alpha + beta * j + (period > 0 && j % period === 0 ? gamma : 0);
    sum += c * c;
  }
  const half = normalQuantile(0.5 + coverage / 2) * Math.sqrt(state.sigma2 * sum);
  return { mean, lower: mean - half, upper: mean + half };
}
