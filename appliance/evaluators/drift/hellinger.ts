import { hellingerDistance } from '../../stats/hellinger.ts';
import { binSamples } from '../../stats/histogram.ts';
import type { EvaluationOutput, EvaluatorFactory } from '../evaluator.ts';
import {
  createFeaturePairReader,
  driftOutput,
  emptySideReason,
  requireDriftInputs,
  type FeaturePair,
} from '../features.ts';
import { BINNED_PARAMS, DRIFT_DISTANCE_OUTPUTS } from './distance-outputs.ts';

/**
 * Hellinger distance per feature, from 0 to 1. Numeric features use equal-width bins over the
 * combined range, categorical ones the union of categories.
 */
export const hellingerEvaluator: EvaluatorFactory = {
  name: 'drift.hellinger',
  description: 'Hellinger distance per feature against a reference.',
  input: 'events',
  needsReference: true,
  paramsSchema: { type: 'object', additionalProperties: false, properties: BINNED_PARAMS },
  outputs: DRIFT_DISTANCE_OUTPUTS,
  outputLabels: ['feature'],
  create(inputs) {
    const stream = requireDriftInputs('drift.hellinger', inputs);
    const bins = (inputs.params.bins ?? 10) as number;
    const readPairs = createFeaturePairReader(stream, inputs);
    return { evaluate: (context) => readPairs(context).map((pair) => evaluateFeature(pair, bins)) };
  },
};

function evaluateFeature(pair: FeaturePair, bins: number): EvaluationOutput {
  const convention = { test: 'hellinger', empty_bin_rule: 'none needed' };
  const empty = emptySideReason(pair);
  if (empty !== undefined) {
    return driftOutput(pair, { value: NaN, statistic: NaN }, convention, empty);
  }

  const binned = binSamples(pair.reference, pair.current, bins);
  const distance = hellingerDistance(binned.reference, binned.current);
  return driftOutput(
    pair,
    { value: distance, statistic: distance },
    { ...convention, binning: binned.binning, bins: binned.bins },
  );
}
