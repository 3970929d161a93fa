import { categoryValues, countCategories } from '../../stats/samples.ts';
import { twoProportionZ } from '../../stats/two-proportion-z.ts';
import type { EvaluationOutput, EvaluatorFactory } from '../evaluator.ts';
import {
  createFeaturePairReader,
  driftOutput,
  emptySideReason,
  requireDriftInputs,
  type FeaturePair,
} from '../features.ts';

/**
 * Two-proportion z-test per feature on the share of one category, for binary features. The
 * category is `params.positive`; without it, `true` when the values include it, else `1`,
 * else the most frequent reference category. `value` is |z|.
 */
export const twoProportionZEvaluator: EvaluatorFactory = {
  name: 'drift.ztest',
  description: 'Two-proportion z-test per feature on the share of one category.',
  input: 'events',
  needsReference: true,
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: { positive: { type: 'string', minLength: 1 } },
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
    const stream = requireDriftInputs('drift.ztest', inputs);
    const positive = inputs.params.positive as string | undefined;
    const readPairs = createFeaturePairReader(stream, inputs);
    return {
      evaluate: (context) => readPairs(context).map((pair) => evaluateFeature(pair, positive)),
    };
  },
};

function evaluateFeature(pair: FeaturePair, requested: string | undefined): EvaluationOutput {
  const convention = { test: 'two_proportion_z', variance: 'pooled', alternative: 'two-sided' };
  const empty = emptySideReason(pair);
  if (empty !== undefined) {
    return driftOutput(
      pair,
      { value: NaN, statistic: NaN, z: NaN, p_value: NaN },
      convention,
      empty,
    );
  }

  const reference = countCategories(categoryValues(pair.reference));
  const current = countCategories(categoryValues(pair.current));
  const positive = requested ?? choosePositive(reference, current);
  const referenceTotal = pair.reference.numbers.length + pair.reference.categories.length;
  const currentTotal = pair.current.numbers.length + pair.current.categories.length;
  const result = twoProportionZ(
    reference.get(positive) ?? 0,
    referenceTotal,
    current.get(positive) ?? 0,
    currentTotal,
  );
  const values = {
    value: Math.abs(result.z),
    statistic: Math.abs(result.z),
    z: result.z,
    p_value: result.pValue,
    reference_share: result.referenceShare,
    current_share: result.currentShare,
  };
  return driftOutput(pair, values, { ...convention, positive });
}

function choosePositive(
  reference: ReadonlyMap<string, number>,
  current: ReadonlyMap<string, number>,
): string {
  for (const candidate of ['true', '1']) {
    if (reference.has(candidate) || current.has(candidate)) return candidate;
  }
  let best = '';
  let bestCount = -1;
  for (const [category, count] of reference) {
    if (count > bestCount) {
      best = category;
      bestCount = count;
    }
  }
  return best;
}
