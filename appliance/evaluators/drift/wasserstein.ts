import { isCategorical } from '../../stats/samples.ts';
import { DEFAULT_STD_FLOOR, wasserstein } from '../../stats/wasserstein.ts';
import { sketchDrift } from '../../sketch/sketch-drift.ts';
import {
  createDriftPairReader,
  EXACT_MAX_PARAM,
  exactMaxOf,
  type SketchPair,
} from '../drift-pairs.ts';
import type { EvaluationOutput, EvaluatorFactory } from '../evaluator.ts';
import { driftOutput, emptySideReason, requireDriftInputs, type FeaturePair } from '../features.ts';
import { DRIFT_DISTANCE_OUTPUTS } from './distance-outputs.ts';
import { isCategoricalProfile, sketchDriftOutput, sketchEmptyReason } from './sketch-output.ts';

/**
 * Wasserstein-1 distance per numeric feature. `value` is the distance divided by the
 * reference standard deviation (floored at `std_floor`), and `distance` the raw one in the
 * feature's unit. A categorical feature returns NaN with a reason. Above `exact_max` values on
 * either side, the distance is the area between the two KLL sketch CDFs and the reference std
 * comes from the profile's running moments.
 */
export const wassersteinEvaluator: EvaluatorFactory = {
  name: 'drift.wasserstein',
  description: 'Wasserstein-1 distance per numeric feature, normalised by the reference std.',
  input: 'events',
  needsReference: true,
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      std_floor: { type: 'number', exclusiveMinimum: 0, default: DEFAULT_STD_FLOOR },
      exact_max: EXACT_MAX_PARAM,
    },
  },
  outputs: {
    ...DRIFT_DISTANCE_OUTPUTS,
    distance: {
      metric: 'vigil_drift_wasserstein_distance',
      help: 'Wasserstein-1 distance in the unit of the feature',
    },
  },
  outputLabels: ['feature'],
  create(inputs) {
    const stream = requireDriftInputs('drift.wasserstein', inputs);
    const stdFloor = (inputs.params.std_floor ?? DEFAULT_STD_FLOOR) as number;
    const readPairs = createDriftPairReader(stream, inputs, exactMaxOf(inputs.params));
    return {
      evaluate: (context) =>
        readPairs(context).map((pair) =>
          pair.sample === 'sketch'
            ? evaluateSketch(pair, stdFloor)
            : evaluateFeature(pair, stdFloor),
        ),
    };
  },
};

function conventionOf(stdFloor: number) {
  return {
    test: 'wasserstein_distance',
    normalisation: 'distance / max(population std of reference, std_floor)',
    std_floor: stdFloor,
  };
}

function evaluateSketch(pair: SketchPair, stdFloor: number): EvaluationOutput {
  const convention = conventionOf(stdFloor);
  const nan = { value: NaN, statistic: NaN, distance: NaN };
  const empty = sketchEmptyReason(pair);
  if (empty !== undefined) {
    return sketchDriftOutput(pair, nan, convention, empty);
  }
  if (isCategoricalProfile(pair)) {
    const reason = `feature "${pair.feature}" is categorical; Wasserstein needs numbers, use drift.js or drift.hellinger`;
    return sketchDriftOutput(pair, nan, convention, reason);
  }

  const result = sketchDrift('wasserstein', pair.reference, pair.current, false);
  const distance = result.details.distance as number;
  const normalized = distance / Math.max(pair.reference.std, stdFloor);
  const values = {
    value: normalized,
    statistic: normalized,
    distance,
    reference_std: pair.reference.std,
  };
  return sketchDriftOutput(pair, values, convention);
}

function evaluateFeature(pair: FeaturePair, stdFloor: number): EvaluationOutput {
  const convention = conventionOf(stdFloor);
  const nan = { value: NaN, statistic: NaN, distance: NaN };
  const empty = emptySideReason(pair);
  if (empty !== undefined) {
    return driftOutput(pair, nan, convention, empty);
  }
  if (isCategorical(pair.reference, pair.current)) {
    const reason = `feature "${pair.feature}" is categorical; Wasserstein needs numbers, use drift.js or drift.hellinger`;
    return driftOutput(pair, nan, convention, reason);
  }

  const result = wasserstein(pair.reference.numbers, pair.current.numbers, stdFloor);
  const values = {
    value: result.normalized,
    statistic: result.normalized,
    distance: result.distance,
    reference_std: result.referenceStd,
  };
  return driftOutput(pair, values, convention);
}
