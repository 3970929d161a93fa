import { mannKendall } from '../../stats/mann-kendall.ts';
import { numberParam, windowSeriesEvaluator } from './window-series-evaluator.ts';

const MAX_POINTS_DEFAULT = 1000;

/**
 * `trend.mann_kendall`: Mann-Kendall test over the window's points, with Sen's slope. `value` is
 * the two-sided p-value, so "MAE trends upward with p < 0.01" is `value < 0.01 and sen_slope > 0`.
 * The test costs O(n²), so only the latest `max_points` points are used.
 */
export const mannKendallEvaluator = windowSeriesEvaluator({
  name: 'trend.mann_kendall',
  description: "Mann-Kendall trend test over the window, two-sided p-value, with Sen's slope.",
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      max_points: { type: 'integer', minimum: 3, description: 'Latest points tested (O(n²) cost)' },
    },
  },
  outputs: {
    value: { metric: 'vigil_trend_mann_kendall_p_value', help: 'Two-sided p-value of no trend' },
    s: { metric: 'vigil_trend_mann_kendall_s', help: 'Mann-Kendall S' },
    z: { metric: 'vigil_trend_mann_kendall_z', help: 'Continuity-corrected z of S' },
    tau: { metric: 'vigil_trend_kendall_tau', help: "Kendall's tau-a of value against time" },
    sen_slope: { metric: 'vigil_trend_sen_slope', help: "Sen's slope, change per second" },
    points: { metric: 'vigil_trend_points', help: 'Points tested' },
  },
  parse: (params) => ({
    maxPoints: numberParam(
      'trend.mann_kendall',
      params,
      'max_points',
      MAX_POINTS_DEFAULT,
      3,
      100_000,
    ),
  }),
  compute(times, values, _time, { maxPoints }) {
    const start = Math.max(0, times.length - maxPoints);
    const result = mannKendall(times.slice(start), values.slice(start));
    return {
      values: {
        value: result.pValue,
        s: result.s,
        z: result.z,
        tau: result.tau,
        sen_slope: result.senSlope,
        points: result.points,
      },
      convention: {
        test: 'Mann-Kendall, tie-corrected variance, continuity correction',
        max_points: maxPoints,
      },
      ...(Number.isNaN(result.pValue) ? { reason: 'fewer than 3 points in the window' } : {}),
    };
  },
});
