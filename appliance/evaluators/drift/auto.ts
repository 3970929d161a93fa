import type { EvaluatorFactory } from '../evaluator.ts';
import { requireDriftInputs } from '../features.ts';
import { DEFAULT_LARGE_SAMPLE, DRIFT_TESTS, type DriftTest } from './auto-choice.ts';
import { DEFAULT_ALPHA } from './decision.ts';
import { DRIFT_TEST_OUTPUTS } from './distance-outputs.ts';
import { EXACT_MAX_PARAM, exactMaxOf } from '../drift-pairs.ts';
import {
  createFlaggedDrift,
  DEFAULT_FLAGGED_OPTIONS,
  type FlaggedDriftOptions,
} from './flagged-drift.ts';

/**
 * Drift per feature with the test chosen by column type, distinct values and sample size
 * (the table in `auto-choice.ts`), and a drift flag per feature. Outputs carry the labels
 * `feature` and `test`; `value` is the chosen test's statistic.
 */

/** Parameter schema shared by `drift.auto` and `drift.share`. */
export const FLAGGED_PARAMS = {
  alpha: { type: 'number', exclusiveMinimum: 0, maximum: 1, default: DEFAULT_ALPHA },
  thresholds: {
    type: 'object',
    additionalProperties: false,
    properties: {
      psi: { type: 'number', minimum: 0 },
      js: { type: 'number', minimum: 0, maximum: 1 },
      hellinger: { type: 'number', minimum: 0, maximum: 1 },
      wasserstein: { type: 'number', minimum: 0 },
    },
  },
  large_sample: { type: 'integer', minimum: 1, default: DEFAULT_LARGE_SAMPLE },
  correction: { enum: ['none', 'bonferroni', 'bh'], default: 'none' },
  exact_max: EXACT_MAX_PARAM,
};

/** Unpacks the flagged-drift params, defaults filled in; the schema has checked them. */
export function parseFlaggedParams(
  name: string,
  params: Record<string, unknown>,
): FlaggedDriftOptions {
  const test = params.test ?? 'auto';
  if (test !== 'auto' && !DRIFT_TESTS.includes(test as DriftTest)) {
    throw new Error(
      `${name}: params.test is invalid (got ${JSON.stringify(test)}); use auto or one of ${DRIFT_TESTS.join(', ')}`,
    );
  }
  return {
    test: test as DriftTest | 'auto',
    alpha: (params.alpha as number | undefined) ?? DEFAULT_FLAGGED_OPTIONS.alpha,
    thresholds: (params.thresholds as Record<string, number> | undefined) ?? {},
    largeSample: (params.large_sample as number | undefined) ?? DEFAULT_LARGE_SAMPLE,
    correction: (params.correction as FlaggedDriftOptions['correction'] | undefined) ?? 'none',
    exactMax: exactMaxOf(params),
  };
}

const NAME = 'drift.auto';

export const autoDriftEvaluator: EvaluatorFactory = {
  name: NAME,
  description:
    'Drift per feature with the test chosen by column type, distinct values and sample size.',
  input: 'events',
  needsReference: true,
  paramsSchema: { type: 'object', additionalProperties: false, properties: FLAGGED_PARAMS },
  outputs: {
    ...DRIFT_TEST_OUTPUTS,
    drift: {
      metric: 'vigil_drift_detected',
      help: '1 when the feature drifted by its test and threshold, 0 when not',
    },
    p_value_adjusted: {
      metric: 'vigil_drift_adjusted_p_value',
      help: 'P-value after the correction across features',
    },
  },
  outputLabels: ['feature', 'test'],
  create(inputs) {
    const stream = requireDriftInputs(NAME, inputs);
    const options = { ...parseFlaggedParams(NAME, inputs.params), test: 'auto' as const };
    return { evaluate: createFlaggedDrift(stream, inputs, options) };
  },
};
