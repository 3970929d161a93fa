import { fitLine } from '../../stats/linear-trend.ts';
import { durationParam, durationSchema, windowSeriesEvaluator } from './window-series-evaluator.ts';

/**
 * `forecast.linear`: Prometheus' `predict_linear(v[window], horizon)`: a least-squares line over
 * the window's points with its intercept at the evaluation time, extrapolated `horizon` ahead.
 */
export const forecastLinearEvaluator = windowSeriesEvaluator({
  name: 'forecast.linear',
  description:
    'Least-squares line over the window, extrapolated to evaluation time + horizon ' +
    "(Prometheus' predict_linear).",
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['horizon'],
    properties: { horizon: durationSchema },
  },
  outputs: {
    value: { metric: 'vigil_forecast_linear', help: 'Value the line reaches at the horizon' },
    slope: { metric: 'vigil_forecast_linear_slope', help: 'Fitted change per second' },
    intercept: { metric: 'vigil_forecast_linear_now', help: 'Fitted value at evaluation time' },
    points: { metric: 'vigil_forecast_points', help: 'Points in the fit' },
  },
  parse: (params) => ({
    horizonMs: durationParam('forecast.linear', params, 'horizon', undefined),
  }),
  compute(times, values, time, { horizonMs }) {
    const fit = fitLine(times, values, time);
    const value = fit.intercept + (fit.slope * horizonMs) / 1000;
    return {
      values: { value, slope: fit.slope, intercept: fit.intercept, points: fit.points },
      convention: { method: 'least squares, intercept at evaluation time', horizon_ms: horizonMs },
      ...(Number.isNaN(value)
        ? { reason: 'fewer than two points with distinct times in the window' }
        : {}),
    };
  },
});
