import type { EvaluatorFactory } from '../evaluator.ts';
import { evaluateByVersion, requireStream } from '../quality/by-version.ts';

/** Fraction of events in the window whose serving failed (`error: true`), per model version. */
export const errorRateEvaluator: EvaluatorFactory = {
  name: 'ops.error_rate',
  description: 'Fraction of events whose serving failed, per model version.',
  input: 'events',
  needsReference: false,
  paramsSchema: { type: 'object', additionalProperties: false, properties: {} },
  outputs: {
    value: { metric: 'vigil_model_error_ratio', help: 'Fraction of events whose serving failed' },
    errors: { metric: 'vigil_model_error_events', help: 'Failed events in the window' },
    n: { metric: 'vigil_model_error_rate_events', help: 'Events in the window' },
  },
  outputLabels: ['version'],
  create(inputs) {
    const stream = requireStream('ops.error_rate', inputs);
    return {
      evaluate: (context) =>
        evaluateByVersion(stream, context, (events) => {
          let errors = 0;
          for (const event of events) if (event.error) errors += 1;
          const n = events.length;
          return {
            values: { value: n === 0 ? NaN : errors / n, errors, n },
            convention: { definition: 'failed events / events' },
            ...(n === 0 ? { reason: 'no events in window' } : {}),
          };
        }),
    };
  },
};
