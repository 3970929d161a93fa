import { hellingerDistance } from '../../stats/hellinger.ts';
import { binSamples } from '../../stats/histogram.ts';
import {
  createDriftPairReader,
  EXACT_MAX_PARAM,
  exactMaxOf,
  type SketchPair,
} from '../drift-pairs.ts';
import type { EvaluationOutput, EvaluatorFactory } from '../evaluator.ts';
import { driftOutput, emptySideReason, requireDriftInputs, type FeaturePair } from '../features.ts';
import { BINNED_PARAMS, DRIFT_DISTANCE_OUTPUTS } from './distance-outputs.ts';
import { sketchBins, sketchDriftOutput, sketchEmptyReason } from './sketch-output.ts';

/**
 * Hellinger distance per feature, from 0 to 1. Numeric features use equal-width bins over the
 * combined range, categorical ones the union of categories. Above `exact_max` values on either
 * side, the bins are counted from the KLL sketches or the top-k categories.
 */
export const hellingerEvaluator: EvaluatorFactory = {
  name: 'drift.hellinger',
  description: 'Hellinger distance per feature against a reference.',
  input: 'events',
  needsReference: true,
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: { ...BINNED_PARAMS, exact_max: EXACT_MAX_PARAM },
  },
  outputs: DRIFT_DISTANCE_OUTPUTS,
  outputLabels: ['feature'],
  create(inputs) {
    const stream = requireDriftInputs('drift.hellinger', inputs);
    const bins = (inputs.params.bins ?? 10) as number;
    const readPairs = createDriftPairReader(stream, inputs, exactMaxOf(inputs.params));
    return {
      evaluate: (context) =>
        readPairs(context).map((pair) =>
          pair.sample === 'sketch' ? evaluateSketch(pair, bins) : evaluateFeature(pair, bins),
        ),
    };
  },
};

const CONVENTION = { test: 'hellinger', empty_bin_rule: 'none needed' };

function evaluateSketch(pair: SketchPair, bins: number): EvaluationOutput {
  const empty = sketchEmptyReason(pair);
  if (empty !== undefined) {
    return sketchDriftOutput(pair, { value: NaN, statistic: NaN }, CONVENTION, empty);
  }

  const binned = sketchBins(pair, bins);
  const distance = hellingerDistance(binned.reference, binned.current);
  return sketchDriftOutput(
    pair,
    { value: distance, statistic: distance },
    { ...CONVENTION, binning: binned.binning, bins: binned.bins },
  );
}

function evaluateFeature(pair: FeaturePair, bins: number): EvaluationOutput {
  const convention = CONVENTION;
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
