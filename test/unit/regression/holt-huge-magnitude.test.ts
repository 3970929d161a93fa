import { test } from 'node:test';
import assert from 'node:assert/strict';

import { evaluators } from '../../../appliance/evaluators/registry.ts';
import { FakeReader, contextAt } from '../evaluators/fake-reader.ts';

const STEP = 300_000;
const COUNT = 48;

function run(name: string, params: Record<string, unknown>, scale: number) {
  const timestamps = Array.from({ length: COUNT }, (_, i) => i * STEP);
  const values = timestamps.map((_, i) => scale * (10 + 0.5 * i + ((i * 7) % 5)));
  const factory = evaluators.get(name);
  assert.ok(factory !== undefined);
  const evaluator = factory.create({
    series: { name: 'm', matchers: {} },
    windowMs: COUNT * STEP,
    params,
  });
  const reader = new FakeReader([], [{ name: 'm', labels: {}, timestamps, values }]);
  const [output] = evaluator.evaluate(contextAt(reader, COUNT * STEP, COUNT * STEP));
  assert.ok(output !== undefined);
  return output.values;
}

// Holt's smoothing is linear in the values, so a series scaled by 1e300 must forecast the
// unscaled forecast times 1e300, where squared residuals near 1e600 would overflow float64.
const cases: [string, Record<string, unknown>][] = [
  ['forecast.holt', { horizon: '1h', step: '5m' }],
  ['forecast.holt', { horizon: '1h', step: '5m', alpha: 0.5, beta: 0.1 }],
  ['forecast.holt_winters', { horizon: '1h', step: '5m', season: '25m' }],
];

for (const [name, params] of cases) {
  void test(`${name} scales to 1e300 ${params.alpha === undefined ? 'fitted' : 'given'}`, () => {
    const base = run(name, params, 1);
    const huge = run(name, params, 1e300);

    for (const output of ['value', 'lower', 'upper', 'level', 'trend'] as const) {
      const expected = base[output]! * 1e300;
      const actual = huge[output]!;
      assert.ok(Number.isFinite(actual), `${output} is ${actual}`);
      assert.ok(Math.abs(actual - expected) <= 1e-6 * Math.abs(expected), `${output}: ${actual}`);
    }
  });
}

test('forecast.holt overflow states a reason', () => {
  const timestamps = Array.from({ length: COUNT }, (_, i) => i * STEP);
  const values = timestamps.map((_, i) => (i % 2 === 0 ? -1.7e308 : -0.7e308));
  const factory = evaluators.get('forecast.holt');
  assert.ok(factory !== undefined);
  const evaluator = factory.create({
    series: { name: 'm', matchers: {} },
    windowMs: COUNT * STEP,
    params: { horizon: '1h', step: '5m', alpha: 0.3, beta: 0.3 },
  });
  const reader = new FakeReader([], [{ name: 'm', labels: {}, timestamps, values }]);

  const [output] = evaluator.evaluate(contextAt(reader, COUNT * STEP, COUNT * STEP));

  // The mean stays finite, but the interval is about ±1e309, past the float64 range.
  assert.ok(output !== undefined);
  assert.ok(Number.isFinite(output.values.value), `value is ${output.values.value}`);
  assert.ok(Number.isFinite(output.values.level), `level is ${output.values.level}`);
  assert.equal(output.values.lower, -Infinity);
  assert.equal(output.values.upper, Infinity);
  assert.equal(output.reason, 'lower, upper overflow the float64 range (±1.8e308)');
});
