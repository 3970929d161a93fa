import { isCategorical } from '../../stats/samples.ts';
import { ksTwoSample, KS_EXACT_MAX_N, type KsMethod } from '../../stats/ks.ts';
import { sketchDrift } from '../../sketch/sketch-drift.ts';
import {
  createDriftPairReader,
  EXACT_MAX_PARAM,
  exactMaxOf,
  type SketchPair,
} from '../drift-pairs.ts';
import type { EvaluationOutput, EvaluatorFactory } from '../evaluator.ts';
import { driftOutput, emptySideReason, requireDriftInputs, type FeaturePair } from '../features.ts';
import {
  isCategoricalProfile,
  KLL_RANK_ERROR,
  sketchDriftOutput,
  sketchEmptyReason,
} from './sketch-output.ts';

/**
 * Two-sample Kolmogorov-Smirnov drift per numeric feature, against the rule's reference. The
 * statistic is D (0 to 1). A categorical feature (any string or boolean value) returns NaN
 * with a reason, because KS needs ordered values. Above `exact_max` values on either side, D
 * comes from the two KLL sketches and the p-value is asymptotic.
 */
export const ksEvaluator: EvaluatorFactory = {
  name: 'drift.ks',
  description: 'Two-sample Kolmogorov-Smirnov test per numeric feature against a reference.',
  input: 'events',
  needsReference: true,
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      method: {
        enum: ['auto', 'exact', 'asymp'],
        description: `P-value method; auto is exact when both samples have at most ${KS_EXACT_MAX_N} values`,
      },
      exact_max: EXACT_MAX_PARAM,
    },
  },
  outputs: {
    value: {
      metric: 'vigil_drift_statistic',
      help: 'Drift statistic per feature; the rule label names the test',
    },
    p_value: { metric: 'vigil_drift_p_value', help: 'P-value of the drift test' },
    n_reference: { metric: 'vigil_drift_reference_samples', help: 'Valid reference values' },
    n_current: { metric: 'vigil_drift_current_samples', help: 'Valid current values' },
  },
  outputLabels: ['feature'],
  create(inputs) {
    const stream = requireDriftInputs('drift.ks', inputs);
    const method = (inputs.params.method ?? 'auto') as KsMethod;
    const readPairs = createDriftPairReader(stream, inputs, exactMaxOf(inputs.params));
    return {
      evaluate: (context) =>
        readPairs(context).map((pair) =>
          pair.sample === 'sketch' ? evaluateSketch(pair, method) : evaluateFeature(pair, method),
        ),
    };
  },
};

function evaluateFeature(pair: FeaturePair, method: KsMethod): EvaluationOutput {
  const convention = { test: 'ks_2samp', alternative: 'two-sided', method_requested: method };
  const empty = emptySideReason(pair);
  if (empty !== undefined) {
    return driftOutput(pair, nanValues(), convention, empty);
  }
  if (isCategorical(pair.reference, pair.current)) {
    const reason = `feature "${pair.feature}" is categorical; KS needs numbers, use drift.chi2 or drift.psi`;
    return driftOutput(pair, nanValues(), convention, reason);
  }

  const result = ksTwoSample(pair.reference.numbers, pair.current.numbers, method);
  return driftOutput(
    pair,
    { value: result.statistic, statistic: result.statistic, p_value: result.pValue },
    { ...convention, method: result.method === 'exact' ? 'exact' : 'asymptotic' },
  );
}

function evaluateSketch(pair: SketchPair, method: KsMethod): EvaluationOutput {
  const convention = { test: 'ks_2samp', alternative: 'two-sided', method_requested: method };
  const empty = sketchEmptyReason(pair);
  if (empty !== undefined) {
    return sketchDriftOutput(pair, nanValues(), convention, empty);
  }
  if (isCategoricalProfile(pair)) {
    const reason = `feature "${pair.feature}" is categorical; KS needs numbers, use drift.chi2 or drift.psi`;
    return sketchDriftOutput(pair, nanValues(), convention, reason);
  }

  // The p-value is asymptotic whatever `method` asks, because an exact p-value needs raw values.
  const result = sketchDrift('ks', pair.reference, pair.current, false);
  return sketchDriftOutput(
    pair,
    { value: result.statistic, statistic: result.statistic, p_value: result.pValue ?? NaN },
    { ...convention, method: 'asymptotic', statistic_error_bound: 2 * KLL_RANK_ERROR },
  );
}

function nanValues(): { value: number; statistic: number; p_value: number } {
  return { value: NaN, statistic: NaN, p_value: NaN };
}
