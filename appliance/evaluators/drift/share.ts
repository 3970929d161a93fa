import type { EvaluationOutput, EvaluatorFactory } from '../evaluator.ts';
import { requireDriftInputs } from '../features.ts';
import { DRIFT_TESTS } from './auto-choice.ts';
import { FLAGGED_PARAMS, parseFlaggedParams } from './auto.ts';
import { createFlaggedDrift } from './flagged-drift.ts';

/**
 * Dataset-level drift: the share of features that drift, each by `drift.auto` (or by the
 * test in `params.test`), with the optional correction across features. The dataset drifts
 * when share ≥ `params.share` (default 0.5), an inclusive comparison, so 5 of 10 features
 * drifting is dataset drift at the default. Features whose test gives NaN are left out of
 * the share and counted in `not_evaluated`. One output, without a feature label.
 */

export const DEFAULT_DRIFT_SHARE = 0.5;
const NAME = 'drift.share';

/** Summarises flagged per-feature outputs into the dataset-level output. */
export function driftShare(features: readonly EvaluationOutput[], share: number): EvaluationOutput {
  const evaluated = features.filter((output) => !Number.isNaN(output.values.drift ?? NaN));
  const drifting = evaluated.filter((output) => output.values.drift === 1).length;
  const value = evaluated.length === 0 ? NaN : drifting / evaluated.length;
  const convention = { share_rule: 'share of drifting features >= threshold', threshold: share };
  const values = {
    value,
    drifting_features: drifting,
    evaluated_features: evaluated.length,
    not_evaluated: features.length - evaluated.length,
    drift: Number.isNaN(value) ? NaN : Number(value >= share),
    threshold: share,
  };
  if (evaluated.length === 0) {
    return { labels: {}, values, convention, reason: 'no feature could be evaluated' };
  }
  return { labels: {}, values, convention };
}

export const driftShareEvaluator: EvaluatorFactory = {
  name: NAME,
  description: 'Share of features that drift, and whether it reaches the dataset threshold.',
  input: 'events',
  needsReference: true,
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      ...FLAGGED_PARAMS,
      test: { enum: ['auto', ...DRIFT_TESTS], default: 'auto' },
      share: { type: 'number', exclusiveMinimum: 0, maximum: 1, default: DEFAULT_DRIFT_SHARE },
    },
  },
  outputs: {
    value: { metric: 'vigil_drift_share_ratio', help: 'Share of evaluated features that drift' },
    drifting_features: {
      metric: 'vigil_drift_drifting_features',
      help: 'Features that drift by their test and threshold',
    },
    evaluated_features: {
      metric: 'vigil_drift_evaluated_features',
      help: 'Features whose test gave a result',
    },
    drift: {
      metric: 'vigil_drift_dataset_detected',
      help: '1 when the share of drifting features reaches the threshold, 0 when not',
    },
  },
  outputLabels: [],
  create(inputs) {
    const stream = requireDriftInputs(NAME, inputs);
    const options = parseFlaggedParams(NAME, inputs.params);
    const share = (inputs.params.share as number | undefined) ?? DEFAULT_DRIFT_SHARE;
    const flagged = createFlaggedDrift(stream, inputs, options);
    return { evaluate: (context) => [driftShare(flagged(context), share)] };
  },
};
