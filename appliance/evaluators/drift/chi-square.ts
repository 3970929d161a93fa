import { chiSquareHomogeneity } from '../../stats/chi-square.ts';
import { categoryValues, countCategories } from '../../stats/samples.ts';
import type { EvaluationOutput, EvaluatorFactory } from '../evaluator.ts';
import {
  createFeaturePairReader,
  driftOutput,
  emptySideReason,
  requireDriftInputs,
  type FeaturePair,
} from '../features.ts';

/**
 * Chi-square test of homogeneity per feature over the union of reference and current
 * categories, plus the unseen-category rate. Every value is a category, numbers by their
 * decimal text, so integer codes work directly. Continuous numbers give one category per
 * distinct value, so use drift.ks or drift.psi for them.
 */
export const chiSquareEvaluator: EvaluatorFactory = {
  name: 'drift.chi2',
  description:
    'Chi-square homogeneity test per feature over the union of categories, with the unseen-category rate.',
  input: 'events',
  needsReference: true,
  paramsSchema: { type: 'object', additionalProperties: false, properties: {} },
  outputs: {
    value: {
      metric: 'vigil_drift_statistic',
      help: 'Drift statistic per feature; the rule label names the test',
    },
    p_value: { metric: 'vigil_drift_p_value', help: 'P-value of the drift test' },
    unseen_rate: {
      metric: 'vigil_drift_unseen_category_ratio',
      help: 'Share of current rows whose category the reference never saw',
    },
    n_reference: { metric: 'vigil_drift_reference_samples', help: 'Valid reference values' },
    n_current: { metric: 'vigil_drift_current_samples', help: 'Valid current values' },
  },
  outputLabels: ['feature'],
  create(inputs) {
    const stream = requireDriftInputs('drift.chi2', inputs);
    const readPairs = createFeaturePairReader(stream, inputs);
    return { evaluate: (context) => readPairs(context).map(evaluateFeature) };
  },
};

function evaluateFeature(pair: FeaturePair): EvaluationOutput {
  const convention = {
    test: 'chi2_contingency',
    table: '2 x k over the union of categories',
    correction: 'none, also at dof 1',
    method: 'asymptotic',
  };
  const empty = emptySideReason(pair);
  if (empty !== undefined) {
    const values = { value: NaN, statistic: NaN, p_value: NaN, dof: NaN, unseen_rate: NaN };
    return driftOutput(pair, values, convention, empty);
  }

  const reference = countCategories(categoryValues(pair.reference));
  const current = countCategories(categoryValues(pair.current));
  const result = chiSquareHomogeneity(reference, current);
  const values = {
    value: result.statistic,
    statistic: result.statistic,
    p_value: result.pValue,
    dof: result.dof,
    categories: result.categories,
    unseen_rate: result.unseenRate,
  };
  return driftOutput(pair, values, { ...convention, categories: result.categories });
}
