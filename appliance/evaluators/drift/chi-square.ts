import { chiSquareHomogeneity, type ChiSquareResult } from '../../stats/chi-square.ts';
import { categoryValues, countCategories } from '../../stats/samples.ts';
import {
  createDriftPairReader,
  EXACT_MAX_PARAM,
  exactMaxOf,
  type SketchPair,
} from '../drift-pairs.ts';
import type { EvaluationOutput, EvaluatorFactory } from '../evaluator.ts';
import { driftOutput, emptySideReason, requireDriftInputs, type FeaturePair } from '../features.ts';
import { profileCategoryCounts, sketchDriftOutput, sketchEmptyReason } from './sketch-output.ts';

/**
 * Chi-square test of homogeneity per feature over the union of reference and current
 * categories, plus the unseen-category rate. Every value is a category, numbers by their
 * decimal text, so integer codes work directly. Continuous numbers give one category per
 * distinct value, so use drift.ks or drift.psi for them. Above `exact_max` values on either
 * side, the table is over the top-k categories plus `other`, and numbers count by the weights
 * of their KLL items, so counts are estimates within the sketches' error bounds.
 */
export const chiSquareEvaluator: EvaluatorFactory = {
  name: 'drift.chi2',
  description:
    'Chi-square homogeneity test per feature over the union of categories, with the unseen-category rate.',
  input: 'events',
  needsReference: true,
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: { exact_max: EXACT_MAX_PARAM },
  },
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
    const readPairs = createDriftPairReader(stream, inputs, exactMaxOf(inputs.params));
    return {
      evaluate: (context) =>
        readPairs(context).map((pair) =>
          pair.sample === 'sketch' ? evaluateSketch(pair) : evaluateFeature(pair),
        ),
    };
  },
};

const CONVENTION = {
  test: 'chi2_contingency',
  table: '2 x k over the union of categories',
  correction: 'none, also at dof 1',
  method: 'asymptotic',
};
const NAN_VALUES = { value: NaN, statistic: NaN, p_value: NaN, dof: NaN, unseen_rate: NaN };

function evaluateSketch(pair: SketchPair): EvaluationOutput {
  const convention = { ...CONVENTION, table: '2 x k over the top-k categories and other' };
  const empty = sketchEmptyReason(pair);
  if (empty !== undefined) {
    return sketchDriftOutput(pair, NAN_VALUES, convention, empty);
  }

  const reference = profileCategoryCounts(pair.reference);
  const current = profileCategoryCounts(pair.current);
  const result = chiSquareHomogeneity(reference, current);
  return sketchDriftOutput(pair, valuesOf(result), {
    ...convention,
    categories: result.categories,
  });
}

function evaluateFeature(pair: FeaturePair): EvaluationOutput {
  const empty = emptySideReason(pair);
  if (empty !== undefined) {
    return driftOutput(pair, NAN_VALUES, CONVENTION, empty);
  }

  const reference = countCategories(categoryValues(pair.reference));
  const current = countCategories(categoryValues(pair.current));
  const result = chiSquareHomogeneity(reference, current);
  return driftOutput(pair, valuesOf(result), { ...CONVENTION, categories: result.categories });
}

function valuesOf(result: ChiSquareResult) {
  return {
    value: result.statistic,
    statistic: result.statistic,
    p_value: result.pValue,
    dof: result.dof,
    categories: result.categories,
    unseen_rate: result.unseenRate,
  };
}
