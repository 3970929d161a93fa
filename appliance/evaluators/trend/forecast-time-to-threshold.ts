import { fitLine, secondsToThreshold } from '../../stats/linear-trend.ts';
import { numberParam, windowSeriesEvaluator } from './window-series-evaluator.ts';

/**
 * `forecast.time_to_threshold`: seconds until the least-squares line of the window (intercept
 * at the evaluation time, as `forecast.linear`) reaches `threshold`; 0 when it already has and
 * +Inf when the line never gets there.
 */
export const timeToThresholdEvaluator = windowSeriesEvaluator({
  name: 'forecast.time_to_threshold',
  description:
    'Seconds until the least-squares line over the window crosses a threshold (0 if already, +Inf if never).',
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['threshold'],
    properties: {
      threshold: { type: 'number', description: 'Level in the unit of the series' },
      direction: { enum: ['above', 'below'], description: 'Crossing upward (default) or downward' },
    },
  },
  outputs: {
    value: {
      metric: 'vigil_forecast_time_to_threshold_seconds',
      help: 'Seconds until the threshold',
    },
    slope: { metric: 'vigil_forecast_linear_slope', help: 'Fitted change per second' },
    intercept: { metric: 'vigil_forecast_linear_now', help: 'Fitted value at evaluation time' },
  },
  parse(params) {
    const name = 'forecast.time_to_threshold';
    const threshold = numberParam(name, params, 'threshold', undefined, -Infinity, Infinity);
    const direction = params.direction ?? 'above';
    if (direction !== 'above' && direction !== 'below') {
      throw new Error(
        `${name}: params.direction is invalid (got ${JSON.stringify(direction)}); use above or below`,
      );
    }
    return { threshold, direction: direction as 'above' | 'below' };
  },
  compute(times, values, time, { threshold, direction }) {
    const fit = fitLine(times, values, time);
    const value = secondsToThreshold(fit.intercept, fit.slope, threshold, direction);
    return {
      values: { value, slope: fit.slope, intercept: fit.intercept },
      convention: { method: 'least squares, intercept at evaluation time', threshold, direction },
      ...(Number.isNaN(value)
        ? { reason: 'fewer than two points with distinct times in the window' }
        : {}),
    };
  },
});
