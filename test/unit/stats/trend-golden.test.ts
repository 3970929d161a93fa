import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { forecast, initialStates, smooth } from '../../../appliance/stats/holt.ts';
import {
  fitLine,
  predictLinear,
  secondsToThreshold,
} from '../../../appliance/stats/linear-trend.ts';
import { mannKendall } from '../../../appliance/stats/mann-kendall.ts';
import { normalQuantile } from '../../../appliance/stats/normal-quantile.ts';

/** Golden values from NumPy, SciPy and statsmodels, written by test/golden/trend.py. */
const golden = JSON.parse(readFileSync('test/golden/trend.json', 'utf8')) as {
  linear: {
    times: number[];
    values: number[];
    at: number;
    horizon: number;
    slope: number;
    intercept: number;
    expected: number;
  }[];
  holt: {
    values: number[];
    alpha: number;
    beta: number;
    gamma: number;
    period: number;
    forecasts: { h: number; mean: number; lower: number; upper: number }[];
  }[];
  mann_kendall: {
    times: number[];
    values: number[];
    s: number;
    variance_s: number;
    z: number;
    p_value: number;
    sen_slope: number;
    tau?: number;
  }[];
  normal_quantile: { p: number; expected: number }[];
};

function close(actual: number, expected: number, what: string, tolerance = 1e-9): void {
  const scale = Math.max(1, Math.abs(expected));
  assert.ok(Math.abs(actual - expected) <= tolerance * scale, `${what}: ${actual} vs ${expected}`);
}

void test('predict_linear matches numpy polyfit', () => {
  for (const [i, c] of golden.linear.entries()) {
    const fit = fitLine(c.times, c.values, c.at);
    close(fit.slope, c.slope, `case ${i} slope`);
    close(fit.intercept, c.intercept, `case ${i} intercept`);
    close(predictLinear(c.times, c.values, c.at, c.horizon), c.expected, `case ${i}`);
  }
});

void test('holt forecasts match statsmodels ETS', () => {
  for (const [i, c] of golden.holt.entries()) {
    const options = { alpha: c.alpha, beta: c.beta, gamma: c.gamma, period: c.period };
    const start = initialStates(c.values, c.period);
    assert.ok(start !== undefined);
    const state = smooth(c.values, start, options);
    for (const expected of c.forecasts) {
      const actual = forecast(state, options, expected.h);
      close(actual.mean, expected.mean, `case ${i} h ${expected.h} mean`);
      close(actual.lower, expected.lower, `case ${i} h ${expected.h} lower`);
      close(actual.upper, expected.upper, `case ${i} h ${expected.h} upper`);
    }
  }
});

void test('mann-kendall matches scipy and the formula', () => {
  for (const [i, c] of golden.mann_kendall.entries()) {
    const result = mannKendall(c.times, c.values);
    assert.equal(result.s, c.s, `case ${i} S`);
    close(result.varianceS, c.variance_s, `case ${i} variance`);
    close(result.z, c.z, `case ${i} z`);
    close(result.pValue, c.p_value, `case ${i} p-value`);
    close(result.senSlope, c.sen_slope, `case ${i} Sen's slope`);
    if (c.tau !== undefined) close(result.tau, c.tau, `case ${i} tau`);
  }
});

void test('normal quantile matches scipy norm.ppf', () => {
  for (const c of golden.normal_quantile) {
    close(normalQuantile(c.p), c.expected, `p ${c.p}`, 1e-13);
  }
  assert.ok(Number.isNaN(normalQuantile(1.5)));
});

void test('line without two times has no slope', () => {
  const fit = fitLine([1000, 1000], [1, 2], 1000);
  assert.ok(Number.isNaN(fit.slope));
  assert.equal(fit.points, 2);
});

void test('seconds to threshold follow the slope', () => {
  assert.equal(secondsToThreshold(100, 2, 500, 'above'), 200);
  assert.equal(secondsToThreshold(100, -2, 500, 'above'), Infinity);
  assert.equal(secondsToThreshold(600, -2, 500, 'above'), 0);
  assert.equal(secondsToThreshold(100, 0, 500, 'above'), Infinity);
  assert.equal(secondsToThreshold(100, -4, 20, 'below'), 20);
  assert.equal(secondsToThreshold(10, 4, 20, 'below'), 0);
  assert.ok(Number.isNaN(secondsToThreshold(NaN, 1, 2, 'above')));
});
