import type { OutputSpec } from '../evaluator.ts';

/** Outputs of the drift distances, which have no p-value. */
export const DRIFT_DISTANCE_OUTPUTS: Record<string, OutputSpec> = {
  value: {
    metric: 'vigil_drift_statistic',
    help: 'Drift statistic per feature; the rule label names the test',
  },
  n_reference: { metric: 'vigil_drift_reference_samples', help: 'Valid reference values' },
  n_current: { metric: 'vigil_drift_current_samples', help: 'Valid current values' },
};

/** Parameter schema of the binned distances. */
export const BINNED_PARAMS = {
  bins: { type: 'integer', minimum: 1, maximum: 1000, default: 10 },
};

/** Outputs of the drift tests that have a p-value. */
export const DRIFT_TEST_OUTPUTS: Record<string, OutputSpec> = {
  ...DRIFT_DISTANCE_OUTPUTS,
  p_value: { metric: 'vigil_drift_p_value', help: 'P-value of the drift test' },
};
