import type { PredictionEvent } from '../../core/types.ts';
import { regressionMetrics, type RegressionMetrics } from '../../stats/regression.ts';
import type { EvaluationOutput, EvaluatorFactory } from '../evaluator.ts';
import { evaluateByVersion, finiteNumber, requireStream } from './by-version.ts';

/**
 * Regression quality evaluators: one factory per metric, one output per model version. Rows
 * count when both prediction and actual are finite numbers; other rows are left out and
 * counted in `skipped`.
 */

type RegressionField = 'me' | 'mae' | 'rmse' | 'r2' | 'mape' | 'maxError';

interface RegressionSpec {
  name: string;
  field: RegressionField;
  metric: string;
  help: string;
  /** Convention recorded with each result, as scikit-learn names the function. */
  definition: string;
}

const CONVENTION_SOURCE = 'sklearn.metrics 1.9; error = prediction - actual';

function regressionEvaluator(spec: RegressionSpec): EvaluatorFactory {
  return {
    name: spec.name,
    description: `${spec.help}, per model version, over events with a numeric prediction and actual.`,
    input: 'events',
    needsReference: false,
    paramsSchema: { type: 'object', additionalProperties: false, properties: {} },
    outputs: {
      value: { metric: spec.metric, help: spec.help },
      n: { metric: 'vigil_model_regression_rows', help: 'Rows used by a regression metric' },
      skipped: {
        metric: 'vigil_model_regression_skipped_rows',
        help: 'Events left out of a regression metric for lack of a numeric prediction or actual',
      },
    },
    outputLabels: ['version'],
    create(inputs) {
      const stream = requireStream(spec.name, inputs);
      return {
        evaluate: (context) =>
          evaluateByVersion(stream, context, (events) => compute(spec, events)),
      };
    },
  };
}

function compute(
  spec: RegressionSpec,
  events: readonly PredictionEvent[],
): Omit<EvaluationOutput, 'labels'> {
  const actual: number[] = [];
  const predicted: number[] = [];
  for (const event of events) {
    const a = finiteNumber(event.actual);
    const p = finiteNumber(event.prediction);
    if (Number.isNaN(a) || Number.isNaN(p)) continue;
    actual.push(a);
    predicted.push(p);
  }

  const metrics = regressionMetrics(actual, predicted);
  const output: Omit<EvaluationOutput, 'labels'> = {
    values: { value: metrics[spec.field], n: metrics.n, skipped: events.length - metrics.n },
    convention: conventionOf(spec, metrics),
  };
  const reason = reasonFor(spec.field, metrics, events.length);
  if (reason !== undefined) output.reason = reason;
  return output;
}

function conventionOf(spec: RegressionSpec, metrics: RegressionMetrics) {
  const convention: Record<string, string | number> = {
    definition: spec.definition,
    source: CONVENTION_SOURCE,
  };
  if (spec.field === 'mape') {
    convention.zero_actual = 'row left out and counted in mape_excluded';
    convention.mape_excluded = metrics.mapeExcluded;
    convention.unit = 'ratio (0.1 = 10%)';
  }
  if (spec.field === 'r2') convention.constant_actual = 'NaN (scikit-learn force_finite=False)';
  return convention;
}

/** Reason for a NaN value of this field, naming the window's condition. */
function reasonFor(field: RegressionField, metrics: RegressionMetrics, events: number) {
  if (!Number.isNaN(metrics[field])) return undefined;
  if (events === 0) return 'no events in window';
  if (metrics.n === 0) return `no events with both a numeric prediction and actual (of ${events})`;
  return metrics.reason;
}

export const meEvaluator = regressionEvaluator({
  name: 'quality.me',
  field: 'me',
  metric: 'vigil_model_mean_error',
  help: 'Mean error (prediction - actual)',
  definition: 'mean(prediction - actual)',
});

export const maeEvaluator = regressionEvaluator({
  name: 'quality.mae',
  field: 'mae',
  metric: 'vigil_model_mae',
  help: 'Mean absolute error',
  definition: 'mean_absolute_error',
});

export const rmseEvaluator = regressionEvaluator({
  name: 'quality.rmse',
  field: 'rmse',
  metric: 'vigil_model_rmse',
  help: 'Root mean squared error',
  definition: 'root_mean_squared_error',
});

export const r2Evaluator = regressionEvaluator({
  name: 'quality.r2',
  field: 'r2',
  metric: 'vigil_model_r2',
  help: 'Coefficient of determination R²',
  definition: 'r2_score',
});

export const mapeEvaluator = regressionEvaluator({
  name: 'quality.mape',
  field: 'mape',
  metric: 'vigil_model_mape_ratio',
  help: 'Mean absolute percentage error as a ratio',
  definition: 'mean_absolute_percentage_error over rows with a non-zero actual',
});

export const maxErrorEvaluator = regressionEvaluator({
  name: 'quality.max_error',
  field: 'maxError',
  metric: 'vigil_model_max_error',
  help: 'Largest absolute error',
  definition: 'max_error',
});
