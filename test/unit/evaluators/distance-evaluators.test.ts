import { test } from 'node:test';
import assert from 'node:assert/strict';

import type { FeatureValue, PredictionEvent, TimeRange } from '../../../appliance/core/types.ts';
import type {
  EvaluationOutput,
  EvaluatorFactory,
} from '../../../appliance/evaluators/evaluator.ts';
import { andersonDarlingEvaluator } from '../../../appliance/evaluators/drift/anderson-darling.ts';
import { cramerVonMisesEvaluator } from '../../../appliance/evaluators/drift/cramer-von-mises.ts';
import { hellingerEvaluator } from '../../../appliance/evaluators/drift/hellinger.ts';
import { jensenShannonEvaluator } from '../../../appliance/evaluators/drift/jensen-shannon.ts';
import { twoProportionZEvaluator } from '../../../appliance/evaluators/drift/two-proportion-z.ts';
import { wassersteinEvaluator } from '../../../appliance/evaluators/drift/wasserstein.ts';

const REFERENCE: TimeRange = { from: 0, to: 1000 };
const WINDOW: TimeRange = { from: 2000, to: 3000 };

// One event per value of the column, feature `x`, starting at `from`.
function events(from: number, column: unknown[]): PredictionEvent[] {
  return column.map((value, row) => ({
    stream: 's',
    version: '',
    id: String(from + row),
    timestamp: from + row,
    features: Object.assign(Object.create(null) as Record<string, FeatureValue>, {
      x: value as FeatureValue,
    }),
    prediction: null,
    actual: null,
    latencyMs: null,
    error: false,
  }));
}

function evaluate(
  factory: EvaluatorFactory,
  reference: unknown[],
  current: unknown[],
  params: Record<string, unknown> = {},
): EvaluationOutput {
  const all = [...events(REFERENCE.from, reference), ...events(WINDOW.from, current)];
  const instance = factory.create({
    stream: 's',
    windowMs: 1000,
    reference: { range: REFERENCE },
    params,
  });
  const outputs = instance.evaluate({
    time: WINDOW.to,
    window: WINDOW,
    data: {
      events: (_stream, range) =>
        all.filter((item) => item.timestamp >= range.from && item.timestamp < range.to),
      points: () => [],
    },
  });
  assert.equal(outputs.length, 1);
  return outputs[0] as EvaluationOutput;
}

const ties = [0.1, 0.2, 0.3].flatMap((value) => Array<number>(10).fill(value));

void test('js all x vs all y is 1', () => {
  const output = evaluate(jensenShannonEvaluator, Array(5).fill('x'), Array(5).fill('y'));
  assert.equal(output.values.value, 1);
  assert.equal(output.convention.log_base, 2);
  assert.equal(output.convention.binning, 'union of categories');
});

void test('js base e maximum', () => {
  const output = evaluate(jensenShannonEvaluator, ['x'], ['y'], { base: Math.E });
  assert.ok(Math.abs(output.values.value - Math.sqrt(Math.LN2)) < 1e-12);
});

void test('hellinger point samples', () => {
  assert.equal(evaluate(hellingerEvaluator, [0], [5]).values.value, 1);
  assert.equal(evaluate(hellingerEvaluator, [5], [5]).values.value, 0);
  assert.equal(evaluate(hellingerEvaluator, [0], [0]).values.value, 0);
});

void test('wasserstein tiny shift near zero', () => {
  const output = evaluate(
    wassersteinEvaluator,
    ties,
    ties.map((value) => value + 1e-9),
  );
  assert.ok(output.values.value < 1e-7);
  assert.ok(Math.abs((output.values.distance as number) - 1e-9) < 1e-15);
});

void test('wasserstein categorical gives NaN', () => {
  const output = evaluate(wassersteinEvaluator, ['a'], ['b']);
  assert.ok(Number.isNaN(output.values.value));
  assert.match(output.reason ?? '', /categorical/);
});

void test('infinity excluded from distances', () => {
  for (const factory of [jensenShannonEvaluator, hellingerEvaluator, wassersteinEvaluator]) {
    const output = evaluate(factory, [1, 2, 3, Infinity], [1, 2, 3, -Infinity]);
    assert.equal(output.values.value, 0, factory.name);
    assert.equal(output.values.non_finite_reference, 1, factory.name);
    assert.equal(output.values.non_finite_current, 1, factory.name);
  }
});

// z and p from scipy.stats.norm.sf with the pooled share 0.375.
void test('ztest boolean share shift', () => {
  const reference = [...Array<boolean>(30).fill(true), ...Array<boolean>(70).fill(false)];
  const current = [...Array<boolean>(45).fill(true), ...Array<boolean>(55).fill(false)];
  const output = evaluate(twoProportionZEvaluator, reference, current);
  assert.equal(output.convention.positive, 'true');
  assert.equal(output.values.reference_share, 0.3);
  assert.equal(output.values.current_share, 0.45);
  assert.ok(Math.abs((output.values.z as number) - 2.1908902300206647) < 1e-9);
  assert.ok(Math.abs((output.values.p_value as number) - 0.02845973691631055) < 1e-9);
});

void test('cvm evaluator exact disjoint', () => {
  const output = evaluate(cramerVonMisesEvaluator, [1, 2, 3, 4, 5], [6, 7, 8, 9, 10]);
  assert.ok(Math.abs(output.values.value - 0.85) < 1e-12);
  assert.ok(Math.abs((output.values.p_value as number) - 2 / 252) < 1e-12);
  assert.equal(output.convention.method, 'exact');
});

void test('ad evaluator reports cap', () => {
  const low = Array.from({ length: 20 }, (_, i) => i);
  const output = evaluate(
    andersonDarlingEvaluator,
    low,
    low.map((value) => value + 100),
  );
  assert.equal(output.values.p_value, 0.001);
  assert.equal(output.values.p_value_capped, 1);
});

void test('rank tests reject categories', () => {
  for (const factory of [cramerVonMisesEvaluator, andersonDarlingEvaluator]) {
    const output = evaluate(factory, ['a', 'b'], ['a', 'c']);
    assert.ok(Number.isNaN(output.values.value), factory.name);
    assert.match(output.reason ?? '', /categorical/, factory.name);
  }
});
