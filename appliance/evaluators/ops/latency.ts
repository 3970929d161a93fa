import type { PredictionEvent } from '../../core/types.ts';
import { sortedQuantile } from '../../stats/quantile.ts';
import type { EvaluationOutput, EvaluatorFactory } from '../evaluator.ts';
import { evaluateByVersion, requireStream } from '../quality/by-version.ts';

/**
 * Serving latency quantiles per model version, in seconds, from events that report a latency.
 * Quantiles are exact over the window's values with NumPy's linear interpolation; `value` is
 * the quantile given by `params.quantile` (in [0, 1], default 0.99).
 */

const DEFAULT_QUANTILE = 0.99;

function parseQuantile(params: Record<string, unknown>): number {
  const quantile = params.quantile ?? DEFAULT_QUANTILE;
  if (typeof quantile !== 'number' || !(quantile >= 0 && quantile <= 1)) {
    throw new Error(
      `ops.latency: params.quantile is invalid (got ${JSON.stringify(quantile)}); ` +
        'use a number from 0 to 1, such as 0.99 for p99',
    );
  }
  return quantile;
}

function latencyOutput(quantile: number, events: readonly PredictionEvent[]) {
  const seconds = new Float64Array(events.length);
  let n = 0;
  for (const event of events) {
    if (event.latencyMs !== null && Number.isFinite(event.latencyMs)) {
      seconds[n] = event.latencyMs / 1000;
      n += 1;
    }
  }
  const sorted = seconds.subarray(0, n).sort();

  const output: Omit<EvaluationOutput, 'labels'> = {
    values: {
      value: sortedQuantile(sorted, quantile),
      p50: sortedQuantile(sorted, 0.5),
      p95: sortedQuantile(sorted, 0.95),
      p99: sortedQuantile(sorted, 0.99),
      n,
    },
    convention: { quantile, method: 'exact, numpy linear interpolation', unit: 'seconds' },
  };
  if (n === 0) {
    output.reason = events.length === 0 ? 'no events in window' : 'no event reports a latency';
  }
  return output;
}

export const latencyEvaluator: EvaluatorFactory = {
  name: 'ops.latency',
  description: 'Serving latency p50, p95, p99 and a chosen quantile per model version, in seconds.',
  input: 'events',
  needsReference: false,
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: { quantile: { type: 'number', minimum: 0, maximum: 1 } },
  },
  outputs: {
    value: { metric: 'vigil_model_latency_seconds', help: 'Serving latency at params.quantile' },
    p50: { metric: 'vigil_model_latency_p50_seconds', help: 'Median serving latency' },
    p95: { metric: 'vigil_model_latency_p95_seconds', help: '95th percentile serving latency' },
    p99: { metric: 'vigil_model_latency_p99_seconds', help: '99th percentile serving latency' },
    n: { metric: 'vigil_model_latency_events', help: 'Events with a latency in the window' },
  },
  outputLabels: ['version'],
  create(inputs) {
    const stream = requireStream('ops.latency', inputs);
    const quantile = parseQuantile(inputs.params);
    return {
      evaluate: (context) =>
        evaluateByVersion(stream, context, (events) => latencyOutput(quantile, events)),
    };
  },
};
