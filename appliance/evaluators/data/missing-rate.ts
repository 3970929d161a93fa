import { splitColumn } from '../../stats/samples.ts';
import type { EvaluationOutput, EvaluatorFactory, EvaluatorInputs } from '../evaluator.ts';
import { featureColumn, featureNames } from '../features.ts';

const MISSING_RULE = 'null, absent, NaN, empty string or "NaN" string';
const NON_FINITE_RULE = '+-Infinity or "Infinity" strings, counted apart from missing';

/**
 * Share of events in the window whose feature value is missing, per feature. Non-finite
 * numbers are not missing; they get their own ratio. Features are the rule's list, or every
 * feature seen in the window. An empty window gives NaN with a reason, for each listed feature
 * or, with no list, once with feature "".
 */
export const missingRateEvaluator: EvaluatorFactory = {
  name: 'data.missing_rate',
  description: 'Share of events whose feature value is missing, per feature.',
  input: 'events',
  needsReference: false,
  paramsSchema: { type: 'object', additionalProperties: false, properties: {} },
  outputs: {
    value: { metric: 'vigil_feature_missing_ratio', help: 'Share of events missing the feature' },
    non_finite_ratio: {
      metric: 'vigil_feature_non_finite_ratio',
      help: 'Share of events whose feature value is +-Infinity',
    },
    n: { metric: 'vigil_feature_events', help: 'Events in the window' },
  },
  outputLabels: ['feature'],
  create(inputs) {
    const stream = requireStream(inputs);
    return {
      evaluate(context) {
        const events = context.data.events(stream, context.window);
        const names = inputs.features?.length ? inputs.features : featureNames(events);
        if (events.length === 0) {
          return (names.length > 0 ? names : ['']).map(emptyOutput);
        }
        return names.map((feature) => {
          const sample = splitColumn(featureColumn(events, feature));
          return {
            labels: { feature },
            values: {
              value: sample.missing / events.length,
              non_finite_ratio: sample.nonFinite / events.length,
              missing: sample.missing,
              non_finite: sample.nonFinite,
              n: events.length,
            },
            convention: { missing: MISSING_RULE, non_finite: NON_FINITE_RULE, n: events.length },
          };
        });
      },
    };
  },
};

function emptyOutput(feature: string): EvaluationOutput {
  return {
    labels: { feature },
    values: { value: NaN, non_finite_ratio: NaN, missing: 0, non_finite: 0, n: 0 },
    convention: { missing: MISSING_RULE, non_finite: NON_FINITE_RULE, n: 0 },
    reason: 'no events in window',
  };
}

function requireStream(inputs: EvaluatorInputs): string {
  if (inputs.stream === undefined || inputs.stream === '') {
    throw new Error('data.missing_rate: inputs.stream is missing; set it to the stream to watch');
  }
  return inputs.stream;
}
