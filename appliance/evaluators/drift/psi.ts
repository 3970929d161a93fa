import {
  DEFAULT_PSI_BINS,
  DEFAULT_PSI_EPSILON,
  psiCategorical,
  psiNumeric,
} from '../../stats/psi.ts';
import { categoryValues, countCategories, isCategorical } from '../../stats/samples.ts';
import { psiSketch } from '../../sketch/sketch-drift.ts';
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
  profileCategoryCounts,
  sketchDriftOutput,
  sketchEmptyReason,
} from './sketch-output.ts';

const EMPTY_BIN_RULE = 'empty share replaced by min(epsilon, smallest non-zero share / 2)';
const BINNING_RULE =
  'reference quantiles at k/bins, linear interpolation, duplicate edges merged, bins [e_k, e_k+1)';

/**
 * Population stability index per feature: over reference-quantile bins for numeric features,
 * over the union of categories for categorical ones (any string or boolean value). The result
 * states the bins used, which can be fewer than requested when reference ties merge edges.
 * Above `exact_max` values on either side, the edges are reference-sketch quantiles and the
 * bins (e_k, e_k+1] are counted from the KLL sketch CDFs, or the categories from the top-k.
 */
export const psiEvaluator: EvaluatorFactory = {
  name: 'drift.psi',
  description: 'Population stability index per feature against a reference.',
  input: 'events',
  needsReference: true,
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      bins: { type: 'integer', minimum: 2, maximum: 1000, default: DEFAULT_PSI_BINS },
      epsilon: { type: 'number', exclusiveMinimum: 0, maximum: 0.5, default: DEFAULT_PSI_EPSILON },
      exact_max: EXACT_MAX_PARAM,
    },
  },
  outputs: {
    value: {
      metric: 'vigil_drift_statistic',
      help: 'Drift statistic per feature; the rule label names the test',
    },
    n_reference: { metric: 'vigil_drift_reference_samples', help: 'Valid reference values' },
    n_current: { metric: 'vigil_drift_current_samples', help: 'Valid current values' },
  },
  outputLabels: ['feature'],
  create(inputs) {
    const stream = requireDriftInputs('drift.psi', inputs);
    const bins = (inputs.params.bins ?? DEFAULT_PSI_BINS) as number;
    const epsilon = (inputs.params.epsilon ?? DEFAULT_PSI_EPSILON) as number;
    const readPairs = createDriftPairReader(stream, inputs, exactMaxOf(inputs.params));
    return {
      evaluate: (context) =>
        readPairs(context).map((pair) =>
          pair.sample === 'sketch'
            ? evaluateSketch(pair, bins, epsilon)
            : evaluateFeature(pair, bins, epsilon),
        ),
    };
  },
};

function evaluateSketch(pair: SketchPair, bins: number, epsilon: number): EvaluationOutput {
  const convention = { test: 'psi', log_base: 'e', epsilon, empty_bin_rule: EMPTY_BIN_RULE };
  const empty = sketchEmptyReason(pair);
  if (empty !== undefined) {
    return sketchDriftOutput(pair, { value: NaN, statistic: NaN }, convention, empty);
  }

  if (isCategoricalProfile(pair)) {
    const reference = profileCategoryCounts(pair.reference);
    const current = profileCategoryCounts(pair.current);
    const result = psiCategorical(reference, current, epsilon);
    const values = { value: result.statistic, statistic: result.statistic, bins: result.bins };
    return sketchDriftOutput(pair, values, {
      ...convention,
      binning: 'top-k categories, other, and numbers as categories',
      bins: result.bins,
      empty_share: Number.isNaN(result.emptyShare) ? 'none needed' : result.emptyShare,
    });
  }

  const result = psiSketch(pair.reference, pair.current, bins, epsilon);
  const values = {
    value: result.statistic,
    statistic: result.statistic,
    bins: result.details.bins as number,
  };
  return sketchDriftOutput(pair, values, {
    ...convention,
    bins_requested: bins,
    ...result.details,
  });
}

function evaluateFeature(pair: FeaturePair, bins: number, epsilon: number): EvaluationOutput {
  const convention = { test: 'psi', log_base: 'e', epsilon, empty_bin_rule: EMPTY_BIN_RULE };
  const empty = emptySideReason(pair);
  if (empty !== undefined) {
    return driftOutput(pair, { value: NaN, statistic: NaN }, convention, empty);
  }

  if (isCategorical(pair.reference, pair.current)) {
    const reference = countCategories(categoryValues(pair.reference));
    const current = countCategories(categoryValues(pair.current));
    const result = psiCategorical(reference, current, epsilon);
    const values = { value: result.statistic, statistic: result.statistic, bins: result.bins };
    return driftOutput(pair, values, {
      ...convention,
      binning: 'union of categories',
      bins: result.bins,
      empty_share: Number.isNaN(result.emptyShare) ? 'none needed' : result.emptyShare,
    });
  }

  const result = psiNumeric(pair.reference.numbers, pair.current.numbers, bins, epsilon);
  const values = { value: result.statistic, statistic: result.statistic, bins: result.bins };
  return driftOutput(pair, values, {
    ...convention,
    binning: BINNING_RULE,
    bins_requested: bins,
    bins: result.bins,
    empty_share: result.emptyShare,
  });
}
