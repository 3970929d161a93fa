/**
 * Regression error metrics over paired actual and predicted values, with scikit-learn's
 * definitions (`sklearn.metrics`, version 1.9). Errors are predicted minus actual.
 * An undefined metric is NaN rather than an exception, and `regressionMetrics` gives the reason.
 */

export interface RegressionMetrics {
  /** Rows used. */
  n: number;
  /** Mean error, mean(predicted - actual): positive when the model over-predicts. */
  me: number;
  mae: number;
  rmse: number;
  /** Coefficient of determination, NaN when the actuals are constant. */
  r2: number;
  /**
   * Mean absolute percentage error as a ratio (0.1 is 10%), over rows with a non-zero actual.
   * scikit-learn instead divides by max(|actual|, machine epsilon), so one zero actual adds
   * about 4.5e15 times its error; leaving such rows out and counting them is more useful.
   */
  mape: number;
  /** Rows with a zero actual, left out of MAPE. */
  mapeExcluded: number;
  /** Largest absolute error, as `sklearn.metrics.max_error`. */
  maxError: number;
  /** Reason a value is NaN, when one is. */
  reason?: string;
}

/**
 * Computes every regression metric over the first n pairs, n the shorter length. R² sums its
 * squares about the actual mean in a second pass, which keeps it accurate for large offsets.
 */
export function regressionMetrics(
  actual: ArrayLike<number>,
  predicted: ArrayLike<number>,
): RegressionMetrics {
  const n = Math.min(actual.length, predicted.length);
  if (n === 0) return emptyMetrics('no rows with both a prediction and an actual');

  const sums = sumErrors(actual, predicted, n);
  const r2 = r2Score(actual, predicted, n);
  const metrics: RegressionMetrics = {
    n,
    me: sums.error / n,
    mae: sums.absolute / n,
    rmse: Math.sqrt(sums.squared / n),
    r2,
    mape: sums.percentRows > 0 ? sums.percent / sums.percentRows : NaN,
    mapeExcluded: n - sums.percentRows,
    maxError: sums.max,
  };

  const reasons: string[] = [];
  if (Number.isNaN(r2)) reasons.push(r2Reason(n));
  if (sums.percentRows === 0) reasons.push('MAPE is undefined: every actual is 0');
  if (reasons.length > 0) metrics.reason = reasons.join('; ');
  return metrics;
}

function sumErrors(actual: ArrayLike<number>, predicted: ArrayLike<number>, n: number) {
  let error = 0;
  let absolute = 0;
  let squared = 0;
  let percent = 0;
  let percentRows = 0;
  let max = 0;

  for (let i = 0; i < n; i += 1) {
    const diff = predicted[i]! - actual[i]!;
    const abs = Math.abs(diff);
    error += diff;
    absolute += abs;
    squared += diff * diff;
    if (abs > max) max = abs;
    if (actual[i] !== 0) {
      percent += abs / Math.abs(actual[i]!);
      percentRows += 1;
    }
  }

  return { error, absolute, squared, percent, percentRows, max };
}

/**
 * R² = 1 - Σ(actual - predicted)² / Σ(actual - mean(actual))². With constant actuals the ratio
 * is 0/0 or x/0; scikit-learn's default (`force_finite=True`) then reports 1 or 0, which hides
 * the problem, so this returns NaN as scikit-learn does with `force_finite=False` for 0/0.
 * NOTE: for x/0 scikit-learn with `force_finite=False` gives -inf, and this gives NaN.
 */
export function r2Score(
  actual: ArrayLike<number>,
  predicted: ArrayLike<number>,
  n = Math.min(actual.length, predicted.length),
): number {
  if (n < 2) return NaN;

  let mean = 0;
  for (let i = 0; i < n; i += 1) mean += actual[i]!;
  mean /= n;

  let residual = 0;
  let total = 0;
  for (let i = 0; i < n; i += 1) {
    const diff = actual[i]! - predicted[i]!;
    const spread = actual[i]! - mean;
    residual += diff * diff;
    total += spread * spread;
  }
  return total === 0 ? NaN : 1 - residual / total;
}

function r2Reason(n: number): string {
  if (n < 2) return `R² is undefined for ${n} row; it needs at least 2`;
  return 'R² is undefined: every actual is equal, so the total sum of squares is 0';
}

function emptyMetrics(reason: string): RegressionMetrics {
  return {
    n: 0,
    me: NaN,
    mae: NaN,
    rmse: NaN,
    r2: NaN,
    mape: NaN,
    mapeExcluded: 0,
    maxError: NaN,
    reason,
  };
}
