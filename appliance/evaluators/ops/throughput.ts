import type { EvaluatorFactory } from '../evaluator.ts';
import { evaluateByVersion, requireStream } from '../quality/by-version.ts';

/**
 * Events per second over the window, per model version: events / window length in seconds.
 * A window with no events gives one output with version '' and value 0, so a rule such as
 * `value < 1` can alert on a stream that went silent.
 */
export const throughputEvaluator: EvaluatorFactory = {
  name: 'ops.throughput',
  description: 'Events per second over the window, per model version.',
  input: 'events',
  needsReference: false,
  paramsSchema: { type: 'object', additionalProperties: false, properties: {} },
  outputs: {
    value: {
      metric: 'vigil_model_throughput_events_per_second',
      help: 'Events per second over the window',
    },
    n: { metric: 'vigil_model_throughput_events', help: 'Events in the window' },
  },
  outputLabels: ['version'],
  create(inputs) {
    const stream = requireStream('ops.throughput', inputs);
    return {
      evaluate: (context) => {
        const seconds = (context.window.to - context.window.from) / 1000;
        return evaluateByVersion(stream, context, (events) => ({
          values: { value: seconds > 0 ? events.length / seconds : NaN, n: events.length },
          convention: { definition: 'events / window seconds', window_seconds: seconds },
          ...(seconds > 0 ? {} : { reason: `window length is ${seconds} s; it must be positive` }),
        }));
      },
    };
  },
};
