import { test } from 'node:test';
import assert from 'node:assert/strict';

import { evaluators } from '../../../appliance/evaluators/registry.ts';
import type { SeriesSamples } from '../../../appliance/store/store.ts';
import { FakeReader, contextAt } from '../evaluators/fake-reader.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** p99 latency rising 1 ms per minute from 300 ms, one point a minute for 2 h. */
function latency(): SeriesSamples {
  const timestamps = Array.from({ length: 120 }, (_, i) => i * MINUTE);
  return {
    name: 'latency_p99',
    labels: { model: 'm1' },
    timestamps,
    values: timestamps.map((_, i) => 300 + i + (i % 2 === 0 ? 0.5 : -0.5)),
  };
}

function evaluate(name: string, params: Record<string, unknown>, windowMs = 2 * HOUR) {
  const factory = evaluators.get(name);
  assert.ok(factory !== undefined, `${name} is registered`);
  const evaluator = factory.create({
    series: { name: 'latency_p99', matchers: {} },
    windowMs,
    params,
  });
  const [output] = evaluator.evaluate(
    contextAt(new FakeReader([], [latency()]), 120 * MINUTE, windowMs),
  );
  assert.ok(output !== undefined);
  return output;
}

void test('forecast.linear extrapolates from evaluation time', () => {
  const output = evaluate('forecast.linear', { horizon: '4h' });
  // The line is 300 + t/60 s; at t = 120 min it is 420, and 4 h later 660.
  assert.ok(Math.abs(output.values.intercept! - 420) < 0.05, `${output.values.intercept}`);
  assert.ok(Math.abs(output.values.value - 660) < 0.2, `${output.values.value}`);
  assert.ok(Math.abs(output.values.slope! - 1 / 60) < 1e-4);
});

void test('time to threshold reads the fitted line', () => {
  const output = evaluate('forecast.time_to_threshold', { threshold: 500 });
  assert.ok(Math.abs(output.values.value - 80 * 60) < 10, `${output.values.value} s`);
  const never = evaluate('forecast.time_to_threshold', { threshold: 100, direction: 'below' });
  assert.equal(never.values.value, Infinity);
});

void test('forecast.holt brackets the trend', () => {
  const output = evaluate('forecast.holt', { horizon: '30m', alpha: 0.5, beta: 0.1 });
  assert.ok(output.values.lower! < output.values.value);
  assert.ok(output.values.value < output.values.upper!);
  assert.ok(Math.abs(output.values.value - 449) < 3, `${output.values.value}`);
  assert.equal(output.convention.horizon_points, 30);
});

void test('forecast.holt fits unset weights', () => {
  const output = evaluate('forecast.holt', { horizon: '30m' });
  const { alpha, beta } = output.convention;
  assert.equal(typeof alpha, 'number');
  assert.equal(typeof beta, 'number');
  assert.ok((alpha as number) > 0, `alpha ${alpha}`);
  assert.ok((alpha as number) < 1, `alpha ${alpha}`);
  assert.ok((beta as number) > 0, `beta ${beta}`);
  assert.ok((beta as number) < (alpha as number), `beta ${beta}`);
  // statsmodels 0.15 ETSModel(error='add', trend='add', initialization_method='known').fit()
  // on the same 120 points fits alpha 0.23642 and beta 0.23640 and forecasts 446.809 in
  // [416.506, 477.112] 30 points ahead.
  assert.ok(Math.abs(output.values.value - 446.809) < 1e-3, `${output.values.value}`);
  assert.ok(Math.abs(output.values.lower! - 416.506) < 1e-3, `${output.values.lower}`);
  assert.ok(Math.abs(output.values.upper! - 477.112) < 1e-3, `${output.values.upper}`);
});

void test('forecast.holt keeps a given weight', () => {
  const output = evaluate('forecast.holt', { horizon: '30m', alpha: 0.5 });
  assert.equal(output.convention.alpha, 0.5);
  assert.ok((output.convention.beta as number) < 0.5, `beta ${output.convention.beta}`);
});

void test('forecast.holt_winters needs two seasons', () => {
  const output = evaluate('forecast.holt_winters', { horizon: '10m', season: '2h' });
  assert.ok(Number.isNaN(output.values.value));
  assert.match(output.reason ?? '', /not enough points: 120 in the window, 240 points/);
});

void test('trend.mann_kendall finds the rise', () => {
  const output = evaluate('trend.mann_kendall', {});
  assert.ok(output.values.value < 1e-10, `p ${output.values.value}`);
  assert.ok(Math.abs(output.values.sen_slope! - 1 / 60) < 1e-3);
  assert.equal(output.values.points, 120);
});

void test('forecast params are checked', () => {
  const factory = evaluators.get('forecast.linear')!;
  const series = { name: 'latency_p99', matchers: {} };
  assert.throws(
    () => factory.create({ series, windowMs: HOUR, params: {} }),
    /forecast\.linear: params\.horizon is missing/,
  );
  assert.throws(
    () => factory.create({ series, windowMs: HOUR, params: { horizon: 'later' } }),
    /params\.horizon is invalid \(got "later"\)/,
  );
});
