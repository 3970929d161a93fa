import type { PredictionEvent, TimeRange } from '../core/types.ts';
import { splitColumn, type ColumnSample } from '../stats/samples.ts';
import type {
  Convention,
  EvaluationContext,
  EvaluationOutput,
  EvaluatorInputs,
} from './evaluator.ts';

/**
 * Feature columns of prediction events, and the reference and current columns that the drift
 * evaluators compare. A column has one value per event, `undefined` where the event lacks
 * the feature, so missing values are counted against every row.
 */

/** One feature's reference and current samples, split by `splitColumn`. */
export interface FeaturePair {
  /** Raw samples on both sides; `SketchPair` is the profile counterpart. */
  sample?: 'exact';
  feature: string;
  reference: ColumnSample;
  current: ColumnSample;
  /** Set while the evaluation time is before the end of a fixed reference range. */
  referencePendingUntil?: number;
}

/** Names of the features seen in the events, in first-seen order. */
export function featureNames(...eventLists: readonly (readonly PredictionEvent[])[]): string[] {
  const names = new Set<string>();
  for (const events of eventLists) {
    for (const event of events) {
      for (const name of Object.keys(event.features)) {
        names.add(name);
      }
    }
  }
  return [...names];
}

/** Values of one feature across the events, `undefined` where an event lacks it. */
export function featureColumn(events: readonly PredictionEvent[], feature: string): unknown[] {
  return events.map((event) =>
    Object.hasOwn(event.features, feature) ? event.features[feature] : undefined,
  );
}

/** Checks the inputs every drift evaluator needs; throws at rule load with the fix. */
export function requireDriftInputs(evaluator: string, inputs: EvaluatorInputs): string {
  if (inputs.stream === undefined || inputs.stream === '') {
    throw new Error(`${evaluator}: inputs.stream is missing; set it to the model stream to watch`);
  }
  const reference = inputs.reference;
  if (reference === undefined) {
    throw new Error(
      `${evaluator}: inputs.reference is missing; set a fixed range or an offsetMs to compare with`,
    );
  }
  if ('offsetMs' in reference && !(reference.offsetMs > 0)) {
    throw new Error(
      `${evaluator}: inputs.reference.offsetMs is invalid (got ${reference.offsetMs}); use a positive number of ms`,
    );
  }
  return inputs.stream;
}

/**
 * Creates the per-instance reader of feature pairs. A fixed reference range is read and split
 * once and cached, because a fixed reference does not change. It is cached only after the
 * range has ended and returned events, so a reference still being replayed is read again.
 * NOTE: events that arrive late for an already cached fixed range are not seen.
 * An offset reference is the window `offsetMs` earlier, read at every evaluation.
 */
export function createFeaturePairReader(
  stream: string,
  inputs: EvaluatorInputs,
): (context: EvaluationContext) => FeaturePair[] {
  let cache: ReferenceCache | undefined;

  return (context) => {
    const current = context.data.events(stream, context.window);
    const reference = cache ?? readReference(stream, inputs, context);
    if (reference.cacheable) {
      cache = reference;
    }

    const names = selectFeatures(inputs, reference.names, current);
    return names.map((feature) => {
      const pair: FeaturePair = {
        feature,
        reference: referenceSample(reference, feature),
        current: splitColumn(featureColumn(current, feature)),
      };
      if (reference.pendingUntil !== undefined) pair.referencePendingUntil = reference.pendingUntil;
      return pair;
    });
  };
}

/** Reference events with their feature names and the samples split so far. */
interface ReferenceCache {
  events: readonly PredictionEvent[];
  names: string[];
  samples: Map<string, ColumnSample>;
  cacheable: boolean;
  /** End of a fixed reference range that the evaluation time has not reached yet. */
  pendingUntil?: number;
}

function readReference(
  stream: string,
  inputs: EvaluatorInputs,
  context: EvaluationContext,
): ReferenceCache {
  const range = referenceRange(inputs, context);
  if (isFixed(inputs) && range.to > context.time) {
    // A reference still being collected would compare the current window with a part of itself.
    return { events: [], names: [], samples: new Map(), cacheable: false, pendingUntil: range.to };
  }
  const events = context.data.events(stream, range);
  const cacheable = isFixed(inputs) && events.length > 0;
  return { events, names: featureNames(events), samples: new Map(), cacheable };
}

function referenceSample(reference: ReferenceCache, feature: string): ColumnSample {
  let sample = reference.samples.get(feature);
  if (sample === undefined) {
    sample = splitColumn(featureColumn(reference.events, feature));
    reference.samples.set(feature, sample);
  }
  return sample;
}

/** Builds a drift output of raw samples, with the sample sizes and missing counts in values and convention. */
export function driftOutput(
  pair: FeaturePair,
  values: Record<string, number> & { value: number },
  convention: Convention,
  reason?: string,
): EvaluationOutput {
  const counts = {
    n_reference: countOf(pair.reference),
    n_current: countOf(pair.current),
    missing_reference: pair.reference.missing,
    missing_current: pair.current.missing,
    non_finite_reference: pair.reference.nonFinite,
    non_finite_current: pair.current.nonFinite,
  };
  const output: EvaluationOutput = {
    labels: { feature: pair.feature },
    values: { ...values, ...counts },
    convention: { sample: 'exact', ...convention, ...counts },
  };
  if (reason !== undefined) output.reason = reason;
  return output;
}

/** Reason a pair cannot be tested, when either side has no valid value; otherwise undefined. */
export function emptySideReason(pair: FeaturePair): string | undefined {
  if (pair.referencePendingUntil !== undefined) {
    const end = new Date(pair.referencePendingUntil).toISOString();
    return `the reference range ends at ${end}, after the evaluation time; drift is evaluated from then on`;
  }
  for (const [side, sample] of [
    ['reference', pair.reference],
    ['current', pair.current],
  ] as const) {
    if (countOf(sample) === 0) {
      return `feature "${pair.feature}" has no valid ${side} values (${sample.missing} missing, ${sample.nonFinite} non-finite)`;
    }
  }
  return undefined;
}

export function countOf(sample: ColumnSample): number {
  return sample.numbers.length + sample.categories.length;
}

export function referenceRange(inputs: EvaluatorInputs, context: EvaluationContext): TimeRange {
  const reference = inputs.reference;
  if (reference !== undefined && 'range' in reference) {
    return reference.range;
  }
  const offset = reference?.offsetMs ?? 0;
  return { from: context.window.from - offset, to: context.window.to - offset };
}

export function isFixed(inputs: EvaluatorInputs): boolean {
  return inputs.reference !== undefined && 'range' in inputs.reference;
}

export function selectFeatures(
  inputs: EvaluatorInputs,
  referenceNames: readonly string[],
  current: readonly PredictionEvent[],
): string[] {
  if (inputs.features !== undefined && inputs.features.length > 0) {
    return [...inputs.features];
  }
  return [...new Set([...referenceNames, ...featureNames(current)])];
}
