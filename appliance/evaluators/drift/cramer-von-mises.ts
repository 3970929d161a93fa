import { cramerVonMises, CVM_EXACT_MAX_N, type CvmMethod } from '../../stats/cramer-von-mises.ts';
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

/** Two-sample Cramér-von Mises test per numeric feature; categorical features give NaN. */
export const cramerVonMisesEvaluator: EvaluatorFactory = {
  name: 'drift.cvm',
  description: 'Two-sample Cramér-von Mises test per numeric feature against a reference.',
  input: 'events',
  needsReference: true,
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      method: {
        enum: ['auto', 'exact', 'asymptotic'],
        description: `P-value method; auto is exact when both samples have at most ${CVM_EXACT_MAX_N} values`,
      },
    },
  },
  outputs: DRIFT_TEST_OUTPUTS,
  outputLabels: ['feature'],
  create(inputs) {
    const stream = requireDriftInputs('drift.cvm', inputs);
    const method = (inputs.params.method ?? 'auto') as CvmMethod;
    const readPairs = createFeaturePairReader(stream, inputs);
    return {
      evaluate: (context) => readPairs(context).map((pair) => evaluateFeature(pair, method)),
    };
  },
};

function evaluateFeature(pair: FeaturePair, method: CvmMethod): EvaluationOutput {
  const convention = { test: 'cramervonmises_2samp', ranks: 'midranks', method_requested: method };
  const nan = { value: NaN, statistic: NaN, p_value: NaN };
  const empty = emptySideReason(pair);
  if (empty !== undefined) {
    return driftOutput(pair, nan, convention, empty);
  }
  if (isCategorical(pair.reference, pair.current)) {
    const reason = `feature "${pair.feature}" is categorical; Cramér-von Mises needs numbers, use drift.chi2`;
    return driftOutput(pair, nan, convention, reason);
  }
  if (pair.reference.numbers.length < 2 || pair.current.numbers.length < 2) {
    const reason = `feature "${pair.feature}" needs at least 2 valid values on each side`;
    return driftOutput(pair, nan, convention, reason);
  }

  const result = cramerVonMises(pair.reference.numbers, pair.current.numbers, method);
  const values = { value: result.statistic, statistic: result.statistic, p_value: result.pValue };
  return driftOutput(pair, values, { ...convention, method: result.method });
}
