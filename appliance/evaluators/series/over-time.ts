import { windowSeriesEvaluator } from '../trend/window-series-evaluator.ts';

/** Aggregations over a window's points, named as Prometheus' `<function>_over_time`. */
const FUNCTIONS = ['last', 'avg', 'min', 'max', 'sum'] as const;
type OverTimeFunction = (typeof FUNCTIONS)[number];

/**
 * `series.over_time`: one number per series (labelset) from the points of the rule window, as
 * Prometheus' `last_over_time`, `avg_over_time`, `min_over_time`, `max_over_time` and
 * `sum_over_time` compute it. It lets a threshold rule watch a scraped or pushed series as is.
 */
export const seriesOverTimeEvaluator = windowSeriesEvaluator<OverTimeFunction>({
  name: 'series.over_time',
  description:
    "The last, avg, min, max or sum of each series' points in the window (Prometheus' " +
    '<function>_over_time).',
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      function: {
        enum: [...FUNCTIONS],
        description: 'Aggregation of the points, last by default.',
      },
    },
  },
  outputs: {
    value: { metric: 'vigil_series_over_time', help: 'params.function of the window points' },
    points: { metric: 'vigil_series_over_time_points', help: 'Points in the window' },
  },
  parse: parseFunction,
  compute(_times, values, _time, aggregation) {
    const value = aggregate(aggregation, values);
    return {
      values: { value, points: values.length },
      convention: { function: aggregation },
      ...reasonFor(aggregation, value, values.length),
    };
  },
});

/** States why the value is NaN or infinite: no points, or a sum past the float64 range. */
function reasonFor(
  aggregation: OverTimeFunction,
  value: number,
  points: number,
): { reason?: string } {
  if (points === 0) return { reason: 'no points in window' };
  if (Number.isFinite(value)) return {};
  return { reason: `${aggregation} of the window points overflows the float64 range (±1.8e308)` };
}

function parseFunction(params: Record<string, unknown>): OverTimeFunction {
  const raw = params.function ?? 'last';
  if (!FUNCTIONS.includes(raw as OverTimeFunction)) {
    throw new Error(
      `series.over_time: params.function is invalid (got ${JSON.stringify(raw)}); ` +
        `use one of ${FUNCTIONS.join(', ')}`,
    );
  }
  return raw as OverTimeFunction;
}

/** Aggregates the window's finite values in time order, or returns NaN when there are none. */
export function aggregate(aggregation: OverTimeFunction, values: readonly number[]): number {
  if (values.length === 0) return NaN;
  if (aggregation === 'last') return values[values.length - 1]!;

  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const value of values) {
    sum += value;
    min = Math.min(min, value);
    max = Math.max(max, value);
  }
  if (aggregation === 'avg') return Number.isFinite(sum) ? sum / values.length : mean(values);
  if (aggregation === 'min') return min;
  if (aggregation === 'max') return max;
  return sum;
}

/** Computes the mean as a sum of value / n, whose terms cannot overflow as the sum of values can. */
function mean(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += value / values.length;
  return total;
}
