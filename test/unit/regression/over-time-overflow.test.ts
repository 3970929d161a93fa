import { test } from 'node:test';
import assert from 'node:assert/strict';

import { evaluators } from '../../../appliance/evaluators/registry.ts';
import { aggregate } from '../../../appliance/evaluators/series/over-time.ts';
import { FakeReader, contextAt } from '../evaluators/fake-reader.ts';

const STEP = 60_000;

// Finite points near the float64 limit: their sum overflows, though their mean is finite.
const HUGE = [-1.7e308, -0.7e308, -1.7e308, -0.7e308];

test('avg of huge values stays finite', () => {
  assert.ok(Math.abs(aggregate('avg', HUGE) + 1.2e308) < 1e294);
  assert.equal(aggregate('avg', [1.5e308, 1.5e308]), 1.5e308);
  assert.equal(aggregate('avg', [1, 2, 3, 4]), 2.5);
});

test('overflowing sum states a reason', () => {
  const factory = evaluators.get('series.over_time');
  assert.ok(factory !== undefined);
  const evaluator = factory.create({
    series: { name: 'm', matchers: {} },
    windowMs: 10 * STEP,
    params: { function: 'sum' },
  });
  const timestamps = HUGE.map((_, i) => i * STEP);
  const reader = new FakeReader([], [{ name: 'm', labels: {}, timestamps, values: HUGE }]);

  const [output] = evaluator.evaluate(contextAt(reader, 10 * STEP, 10 * STEP));

  assert.ok(output !== undefined);
  assert.equal(output.values.value, -Infinity);
  assert.equal(output.values.points, 4);
  assert.match(output.reason ?? '', /overflow/);
});
