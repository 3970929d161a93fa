import type { EvaluationOutput } from '../evaluator.ts';
import type { DriftTest } from './auto-choice.ts';

/**
 * The drift flag of one test result. A test with a p-value drifts when p < alpha (default
 * 0.05). A distance drifts when its statistic is at least the test's threshold, an inclusive
 * comparison, so a PSI of exactly 0.2 is drift. The flag is 1, 0, or NaN when the statistic
 * is NaN.
 */

export const P_VALUE_TESTS: ReadonlySet<DriftTest> = new Set(['ks', 'chi2', 'ztest', 'ad', 'cvm']);

export const DEFAULT_ALPHA = 0.05;

/**
 * Default distance thresholds. PSI 0.2 is a common rule of thumb for a significant shift in credit
 * scoring; 0.1 for Jensen-Shannon (base 2), Hellinger and Wasserstein divided by the reference
 * standard deviation is a starting point to tune per feature.
 */
export const DEFAULT_DISTANCE_THRESHOLDS: Readonly<Record<string, number>> = {
  psi: 0.2,
  js: 0.1,
  hellinger: 0.1,
  wasserstein: 0.1,
};

export interface DecisionOptions {
  alpha: number;
  /** Distance thresholds by test name; missing tests use the defaults. */
  thresholds: Readonly<Record<string, number>>;
}

/** Threshold and the comparison it uses for `test`. */
export function driftRule(
  test: DriftTest,
  options: DecisionOptions,
): { threshold: number; rule: string } {
  if (P_VALUE_TESTS.has(test)) return { threshold: options.alpha, rule: 'p_value < threshold' };
  const threshold = options.thresholds[test] ?? DEFAULT_DISTANCE_THRESHOLDS[test]!;
  return { threshold, rule: 'statistic >= threshold' };
}

/**
 * Adds `drift`, `threshold` and the rule to a test output. `pValue` overrides the output's
 * p-value, for p-values adjusted across features.
 */
export function flagDrift(
  test: DriftTest,
  output: EvaluationOutput,
  options: DecisionOptions,
  pValue = output.values.p_value,
): EvaluationOutput {
  const { threshold, rule } = driftRule(test, options);
  const compared = P_VALUE_TESTS.has(test) ? pValue : output.values.value;
  let drift = NaN;
  if (compared !== undefined && !Number.isNaN(compared)) {
    drift = P_VALUE_TESTS.has(test) ? Number(compared < threshold) : Number(compared >= threshold);
  }
  return {
    ...output,
    values: { ...output.values, drift, threshold },
    convention: { ...output.convention, drift_rule: rule, threshold },
  };
}
