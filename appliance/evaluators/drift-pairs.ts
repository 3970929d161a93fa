import { ColumnProfile } from '../sketch/column-profile.ts';
import { splitColumn } from '../stats/samples.ts';
import type { EvaluationContext, EvaluatorInputs } from './evaluator.ts';
import { countOf, featureColumn, selectFeatures, type FeaturePair } from './features.ts';
import { createReferenceSource } from './reference-source.ts';

/**
 * Feature pairs for the drift tests that have a sketch form (KS, PSI, chi-square,
 * Jensen-Shannon, Wasserstein, Hellinger). A feature whose reference and current both have at
 * most `exactMax` valid values gets raw samples (`FeaturePair`), and one with more on either
 * side gets column profiles (`SketchPair`), so state and work stay bounded at any size.
 */

/** Default of `params.exact_max`, the same as `vigil report drift --exact-max`. */
export const DEFAULT_EXACT_MAX = 100_000;

export const EXACT_MAX_PARAM = {
  type: 'integer',
  minimum: 1,
  default: DEFAULT_EXACT_MAX,
  description:
    'Largest sample, on either side, tested exactly on raw values; above it the test runs on sketches',
};

/** One feature's reference and current column profiles. */
export interface SketchPair {
  sample: 'sketch';
  feature: string;
  reference: ColumnProfile;
  current: ColumnProfile;
}

export type DriftPair = FeaturePair | SketchPair;

/** Reads `params.exact_max`, which the schema has checked, with its default. */
export function exactMaxOf(params: Record<string, unknown>): number {
  return (params.exact_max as number | undefined) ?? DEFAULT_EXACT_MAX;
}

/** Creates the per-instance reader of drift pairs, exact or sketched by `exactMax`. */
export function createDriftPairReader(
  stream: string,
  inputs: EvaluatorInputs,
  exactMax: number,
): (context: EvaluationContext) => DriftPair[] {
  const readReference = createReferenceSource(stream, inputs);

  return (context) => {
    const currentEvents = context.data.events(stream, context.window);
    const reference = readReference(context);
    const names = selectFeatures(inputs, reference.names, currentEvents);

    return names.map((feature): DriftPair => {
      const current = splitColumn(featureColumn(currentEvents, feature));
      if (reference.pendingUntil !== undefined) {
        const empty = splitColumn([]);
        return {
          feature,
          reference: empty,
          current,
          referencePendingUntil: reference.pendingUntil,
        };
      }
      if (Math.max(reference.count(feature), countOf(current)) <= exactMax) {
        return { feature, reference: reference.sample(feature), current };
      }
      const profiles = { reference: reference.profile(feature) };
      return { sample: 'sketch', feature, ...profiles, current: ColumnProfile.fromSample(current) };
    });
  };
}
