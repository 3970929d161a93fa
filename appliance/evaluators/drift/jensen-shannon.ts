import { binSamples } from '../../stats/histogram.ts';
import { DEFAULT_JS_BASE, jensenShannonDistance } from '../../stats/jensen-shannon.ts';
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
 * Jensen-Shannon distance per feature, in log base 2 by default so it runs from 0 to 1.
 * Numeric features use equal-width bins over the combined range, categorical ones the union
 * of categories. Above `exact_max` values on either side, the bins are counted from the KLL
 * sketches or the top-k categories.
 */
export const jensenShannonEvaluator: EvaluatorFactory = {
  name: 'drift.js',
  description: 'Jensen-Shannon distance per feature against a reference (base 2 by default).',
  input: 'events',
  needsReference: true,
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      ...BINNED_PARAMS,
      base: { type: 'number', exclusiveMinimum: 1, default: DEFAULT_JS_BASE },
      exact_max: EXACT_MAX_PARAM,
    },
  },
  outputs: DRIFT_DISTANCE_OUTPUTS,
  outputLabels: ['feature'],
  create(inputs) {
    const stream = requireDriftInputs('drift.js', inputs);
    const bins = (inputs.params.bins ?? 10) as number;
    const base = (inputs.params.base ?? DEFAULT_JS_BASE) as number;
    const readPairs = createDriftPairReader(stream, inputs, exactMaxOf(inputs.params));
    return {
      evaluate: (context) =>
        readPairs(context).map((pair) =>
          pair.sample === 'sketch'
            ? evaluateSketch(pair, bins, base)
            : evaluateFeature(pair, bins, base),
        ),
    };
  },
};

function evaluateSketch(pair: SketchPair, bins: number, base: number): EvaluationOutput {
  const convention = { test: 'jensenshannon', log_base: base, empty_bin_rule: 'none needed' };
  const empty = sketchEmptyReason(pair);
  if (empty !== undefined) {
    return sketchDriftOutput(pair, { value: NaN, statistic: NaN }, convention, empty);
  }

  const binned = sketchBins(pair, bins);
  const distance = jensenShannonDistance(binned.reference, binned.current, base);
  return sketchDriftOutput(
    pair,
    { value: distance, statistic: distance },
    { ...convention, binning: binned.binning, bins: binned.bins },
  );
}

function evaluateFeature(pair: FeaturePair, bins: number, base: number): EvaluationOutput {
  const convention = { test: 'jensenshannon', log_base: base, empty_bin_rule: 'none needed' };
  const empty = emptySideReason(pair);
  if (empty !== undefined) {
    return driftOutput(pair, { value: NaN, statistic: NaN }, convention, empty);
  }

  const binned = binSamples(pair.reference, pair.current, bins);
  const distance = jensenShannonDistance(binned.reference, binned.current, base);
  return driftOutput(
    pair,
    { value: distance, statistic: distance },
    { ...convention, binning: binned.binning, bins: binned.bins },
  );
}
