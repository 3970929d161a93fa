import { forecast, initialStates, smooth } from '../../stats/holt.ts';
import { fitHolt } from '../../stats/holt-fit.ts';
import type { WindowSeriesSpec } from './window-series-evaluator.ts';
import {
  durationParam,
  durationSchema,
  medianStep,
  numberParam,
  windowSeriesEvaluator,
} from './window-series-evaluator.ts';

/**
 * `forecast.holt` and `forecast.holt_winters`: exponential smoothing forecasts of the window's
 * points, `horizon` ahead, with a prediction interval (`stats/holt.ts`). The points are taken
 * as equally spaced at `step` (default: their median spacing), so the horizon is
 * round(horizon / step) points and the season is round(season / step) points. A smoothing
 * weight left out of the rule is fitted on the window's points by least squares (`fitHolt`, as
 * statsmodels' ETSModel.fit), and a weight given in the rule is used as it is.
 * NOTE: fitting smooths the window several hundred times per evaluation and series. That took
 * 7 to 14 ms for 2,016 points with a 288-point season on a 2-core AMD EPYC virtual machine, so
 * rules over many series or long windows should give the weights.
 * NOTE: gaps are not filled, so each missing point shifts the season by one point. Use
 * regular series.
 */
interface HoltParams {
  /** Given smoothing weights; undefined ones are fitted. */
  alpha: number | undefined;
  beta: number | undefined;
  gamma: number | undefined;
  horizonMs: number;
  stepMs: number | undefined;
  seasonMs: number | undefined;
  coverage: number;
}

function parseHolt(name: string, params: Record<string, unknown>, seasonal: boolean): HoltParams {
  return {
    alpha: optionalWeight(name, params, 'alpha'),
    beta: optionalWeight(name, params, 'beta'),
    gamma: seasonal ? optionalWeight(name, params, 'gamma') : 0,
    horizonMs: durationParam(name, params, 'horizon', undefined),
    stepMs: params.step === undefined ? undefined : durationParam(name, params, 'step', undefined),
    seasonMs: seasonal ? durationParam(name, params, 'season', undefined) : undefined,
    coverage: numberParam(name, params, 'coverage', 0.95, 0.5, 0.9999),
  };
}

function optionalWeight(name: string, params: Record<string, unknown>, weight: string) {
  return params[weight] === undefined ? undefined : numberParam(name, params, weight, 0, 0, 1);
}

const SCALE_ABOVE = 2 ** 128;

/**
 * Returns the factor that brings a huge series to magnitude 1 to 2 before the fit, so squared
 * residuals stay within float64 (they overflow past about 1e154). The smoothing is linear in
 * the values and the fitted weights minimise a sum of squares, so every output is the scaled
 * fit's output times the factor. The factor is a power of two, so scaling is exact.
 */
function scaleOf(values: readonly number[]): number {
  let max = 0;
  for (const value of values) max = Math.max(max, Math.abs(value));
  return max > SCALE_ABOVE ? 2 ** Math.floor(Math.log2(max)) : 1;
}

function computeHolt(times: readonly number[], rawValues: readonly number[], p: HoltParams) {
  const scale = scaleOf(rawValues);
  const values = scale === 1 ? rawValues : rawValues.map((value) => value / scale);
  const step = p.stepMs ?? medianStep(times);
  const period = p.seasonMs === undefined ? 0 : Math.max(2, Math.round(p.seasonMs / step));
  const h = Math.max(1, Math.round(p.horizonMs / step));
  const given = { alpha: p.alpha, beta: p.beta, gamma: p.gamma };
  const convention = { period, horizon_points: h, step_ms: step, coverage: p.coverage };

  const start = Number.isNaN(step) ? undefined : initialStates(values, period);
  if (start === undefined) {
    const needed = period > 0 ? `${2 * period} points (two seasons)` : '2 points';
    return {
      values: { value: NaN, lower: NaN, upper: NaN, level: NaN, trend: NaN, points: values.length },
      convention,
      reason: `not enough points: ${values.length} in the window, ${needed} needed`,
    };
  }

  const { options } = fitHolt(values, start, period, given);
  const state = smooth(values, start, options);
  const result = forecast(state, options, h, p.coverage);
  const outputs = {
    value: result.mean * scale,
    lower: result.lower * scale,
    upper: result.upper * scale,
    level: state.level * scale,
    trend: state.trend * scale,
  };
  const overflowed = Object.keys(outputs).filter(
    (key) => !Number.isFinite(outputs[key as keyof typeof outputs]),
  );
  return {
    values: { ...outputs, points: values.length },
    convention: { ...convention, alpha: options.alpha, beta: options.beta, gamma: options.gamma },
    ...(overflowed.length > 0
      ? { reason: `${overflowed.join(', ')} overflow the float64 range (±1.8e308)` }
      : {}),
  };
}

const outputs = (kind: string) => ({
  value: { metric: `vigil_forecast_${kind}`, help: 'Forecast mean at the horizon' },
  lower: { metric: `vigil_forecast_${kind}_lower`, help: 'Lower prediction bound at the horizon' },
  upper: { metric: `vigil_forecast_${kind}_upper`, help: 'Upper prediction bound at the horizon' },
  level: { metric: `vigil_forecast_${kind}_level`, help: 'Smoothed level after the last point' },
  trend: { metric: `vigil_forecast_${kind}_trend`, help: 'Smoothed trend per point' },
  points: { metric: 'vigil_forecast_points', help: 'Points in the fit' },
});

const weight = (description: string) => ({ type: 'number', minimum: 0, maximum: 1, description });

function spec(seasonal: boolean): WindowSeriesSpec<HoltParams> {
  const name = seasonal ? 'forecast.holt_winters' : 'forecast.holt';
  const properties: Record<string, unknown> = {
    alpha: weight('Level smoothing weight (default: fitted by least squares)'),
    beta: weight('Trend smoothing weight (default: fitted by least squares)'),
    horizon: durationSchema,
    step: durationSchema,
    coverage: { type: 'number', minimum: 0.5, maximum: 0.9999, description: 'Interval coverage' },
  };
  if (seasonal) {
    properties.gamma = weight('Seasonal smoothing weight (default: fitted by least squares)');
    properties.season = durationSchema;
  }
  return {
    name,
    description: seasonal
      ? 'Holt-Winters additive forecast (ETS(A,A,A)) at the horizon, with a prediction interval.'
      : "Holt's linear trend forecast (ETS(A,A,N)) at the horizon, with a prediction interval.",
    paramsSchema: {
      type: 'object',
      additionalProperties: false,
      required: seasonal ? ['horizon', 'season'] : ['horizon'],
      properties,
    },
    outputs: outputs(seasonal ? 'holt_winters' : 'holt'),
    parse: (params) => parseHolt(name, params, seasonal),
    compute: (times, values, _time, params) => computeHolt(times, values, params),
  };
}

export const forecastHoltEvaluator = windowSeriesEvaluator(spec(false));
export const forecastHoltWintersEvaluator = windowSeriesEvaluator(spec(true));
