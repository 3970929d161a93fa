import { andersonDarlingKSample } from '../../stats/anderson-darling.ts';
import { isCategorical } from '../../stats/samples.ts';
import type { EvaluationOutput, EvaluatorFactory } from '../evaluator.ts';
import {
  createFeaturePairReader,
  driftOutput,
  emptySideReason,
  requireDriftInputs,
  type FeaturePair,
} from '../features.ts';
import { DRIFT_TEST_OUTPUTS } from './distance-outputs.ts';

/**
 * Anderson-Darling test (k-sample, midrank, k = 2) per numeric feature. The p-value is
 * interpolated from a table and capped to [0.001, 0.25]; `p_value_capped` is 1 at a cap.
 */
export const andersonDarlingEvaluator: EvaluatorFactory = {
  name: 'drift.ad',
  description:
    'Two-sample Anderson-Darling test (midrank) per numeric feature against a reference.',
  input: 'events',
  needsReference: true,
  paramsSchema: { type: 'object', additionalProperties: false, properties: {} },
  outputs: DRIFT_TEST_OUTPUTS,
  outputLabels: ['feature'],
  create(inputs) {
    const stream = requireDriftInputs('drift.ad', inputs);
    const readPairs = createFeaturePairReader(stream, inputs);
    return { evaluate: (context) => readPairs(context).map(evaluateFeature) };
  },
};

function evaluateFeature(pair: FeaturePair): EvaluationOutput {
  const convention = {
    test: 'anderson_ksamp',
    variant: 'midrank',
    method: 'interpolated from the Scholz-Stephens table, capped to [0.001, 0.25]',
  };
  const nan = { value: NaN, statistic: NaN, p_value: NaN, p_value_capped: NaN };
  const empty = emptySideReason(pair);
  if (empty !== undefined) {
    return driftOutput(pair, nan, convention, empty);
  }
  if (isCategorical(pair.reference, pair.current)) {
    const reason = `feature "${pair.feature}" is categorical; Anderson-Darling needs numbers, use drift.chi2`;
    return driftOutput(pair, nan, convention, reason);
  }

  const result = andersonDarlingKSample([pair.reference.numbers, pair.current.numbers]);
  const values = {
    value: result.statistic,
    statistic: result.statistic,
    p_value: result.pValue,
    p_value_capped: result.capped ? 1 : 0,
  };
  const reason = Number.isNaN(result.statistic)
    ? `feature "${pair.feature}" needs at least 4 values in all and 2 distinct ones`
    : undefined;
  return driftOutput(pair, values, convention, reason);
}
