import { test } from 'node:test';
import assert from 'node:assert/strict';

import type { FeatureValue, PredictionEvent, TimeRange } from '../../../appliance/core/types.ts';
import type {
  EvaluationOutput,
  EvaluatorFactory,
} from '../../../appliance/evaluators/evaluator.ts';
import { autoDriftEvaluator } from '../../../appliance/evaluators/drift/auto.ts';
import { chiSquareEvaluator } from '../../../appliance/evaluators/drift/chi-square.ts';
import { hellingerEvaluator } from '../../../appliance/evaluators/drift/hellinger.ts';
import { jensenShannonEvaluator } from '../../../appliance/evaluators/drift/jensen-shannon.ts';
import { ksEvaluator } from '../../../appliance/evaluators/drift/ks.ts';
import { psiEvaluator } from '../../../appliance/evaluators/drift/psi.ts';
import { KLL_RANK_ERROR } from '../../../appliance/evaluators/drift/sketch-output.ts';
import { wassersteinEvaluator } from '../../../appliance/evaluators/drift/wasserstein.ts';
import { FakeReader } from './fake-reader.ts';

const REFERENCE: TimeRange = { from: 0, to: 10_000 };
const WINDOW: TimeRange = { from: 10_000, to: 20_000 };
const ROWS = 4000;
// Above the KLL capacity at k = 200 (about 600 items), so the sketches really compact.
const SKETCH_LIMIT = 1000;

/** Deterministic uniform numbers in [0, 1) (mulberry32). */
function uniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal values by Box-Muller, shifted by `mean`. */
function normals(seed: number, count: number, mean: number): number[] {
  const next = uniform(seed);
  return Array.from({ length: count }, () => {
    const u = 1 - next();
    return mean + Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
  });
}

function categories(seed: number, count: number, weights: readonly number[]): string[] {
  const next = uniform(seed);
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  return Array.from({ length: count }, () => {
    let target = next() * total;
    let index = 0;
    while (target >= weights[index]! && index < weights.length - 1) {
      target -= weights[index]!;
      index += 1;
    }
    return `c${index}`;
  });
}

function events(range: TimeRange, column: readonly FeatureValue[]): PredictionEvent[] {
  const step = (range.to - range.from) / column.length;
  return column.map((value, row) => ({
    stream: 's',
    version: '',
    id: `${range.from}-${row}`,
    timestamp: range.from + row * step,
    features: Object.assign(Object.create(null) as Record<string, FeatureValue>, { x: value }),
    prediction: null,
    actual: null,
    latencyMs: null,
    error: false,
  }));
}

function evaluate(
  factory: EvaluatorFactory,
  reference: readonly FeatureValue[],
  current: readonly FeatureValue[],
  params: Record<string, unknown>,
): EvaluationOutput {
  const reader = new FakeReader([...events(REFERENCE, reference), ...events(WINDOW, current)]);
  const instance = factory.create({
    stream: 's',
    features: ['x'],
    windowMs: WINDOW.to - WINDOW.from,
    reference: { range: REFERENCE },
    params,
  });
  const [output] = instance.evaluate({ time: WINDOW.to, window: WINDOW, data: reader });
  assert.ok(output !== undefined, `${factory.name} returned no output`);
  return output;
}

/** Runs `factory` on the same data exactly and on sketches, and returns both outputs. */
function bothPaths(
  factory: EvaluatorFactory,
  reference: readonly FeatureValue[],
  current: readonly FeatureValue[],
  params: Record<string, unknown> = {},
): { exact: EvaluationOutput; sketch: EvaluationOutput } {
  return {
    exact: evaluate(factory, reference, current, params),
    sketch: evaluate(factory, reference, current, { ...params, exact_max: SKETCH_LIMIT }),
  };
}

const numericReference = normals(1, ROWS, 0);
const numericCurrent = normals(2, ROWS, 0.3);

// Tolerance per statistic between the exact and the sketch value on 4000 normal values a side.
// KS is bounded by the sum of both rank errors; the others are looser, binned estimates.
const NUMERIC_CASES: { factory: EvaluatorFactory; tolerance: number }[] = [
  { factory: ksEvaluator, tolerance: 2 * KLL_RANK_ERROR },
  { factory: wassersteinEvaluator, tolerance: 0.03 },
  { factory: psiEvaluator, tolerance: 0.03 },
  { factory: jensenShannonEvaluator, tolerance: 0.03 },
  { factory: hellingerEvaluator, tolerance: 0.03 },
];

for (const { factory, tolerance } of NUMERIC_CASES) {
  test(`${factory.name} sketch path is close to exact`, () => {
    const { exact, sketch } = bothPaths(factory, numericReference, numericCurrent);

    assert.equal(exact.convention.sample, 'exact');
    assert.equal(sketch.convention.sample, 'sketch');
    assert.equal(sketch.convention.rank_error, KLL_RANK_ERROR);
    assert.equal(exact.convention.rank_error, undefined);
    assert.ok(exact.values.value > 0, `exact ${exact.values.value} should show the shift`);
    const gap = Math.abs(sketch.values.value - exact.values.value);
    assert.ok(gap <= tolerance, `sketch ${sketch.values.value} vs exact ${exact.values.value}`);
    assert.equal(sketch.values.n_reference, ROWS);
    assert.equal(sketch.values.n_current, ROWS);
  });
}

test('drift.ks sketch p-value is asymptotic', () => {
  const { exact, sketch } = bothPaths(ksEvaluator, numericReference, numericCurrent);

  assert.equal(sketch.convention.method, 'asymptotic');
  assert.ok(exact.values.p_value! < 1e-6);
  assert.ok(sketch.values.p_value! < 1e-6);
});

test('drift.ks stays exact at exact_max', () => {
  const output = evaluate(ksEvaluator, numericReference, numericCurrent, { exact_max: ROWS });

  assert.equal(output.convention.sample, 'exact');
});

test('drift.ks sketches when one side exceeds', () => {
  const small = numericCurrent.slice(0, 500);
  const output = evaluate(ksEvaluator, numericReference, small, { exact_max: SKETCH_LIMIT });

  assert.equal(output.convention.sample, 'sketch');
  assert.equal(output.values.n_current, 500);
});

test('drift.chi2 sketch matches exact under top-k', () => {
  const reference = categories(3, ROWS, [5, 3, 2]);
  const current = categories(4, ROWS, [3, 3, 4]);
  const { exact, sketch } = bothPaths(chiSquareEvaluator, reference, current);

  assert.equal(exact.convention.sample, 'exact');
  assert.equal(sketch.convention.sample, 'sketch');
  assert.ok(Math.abs(sketch.values.value - exact.values.value) < 1e-9);
  assert.ok(Math.abs(sketch.values.p_value! - exact.values.p_value!) < 1e-12);
  assert.equal(sketch.values.dof, 2);
});

test('drift.chi2 sketch counts numeric codes', () => {
  const reference = categories(5, ROWS, [5, 3, 2]).map((code) => Number(code.slice(1)));
  const current = categories(6, ROWS, [3, 3, 4]).map((code) => Number(code.slice(1)));
  const { exact, sketch } = bothPaths(chiSquareEvaluator, reference, current);

  assert.equal(sketch.values.categories, 3);
  const relative = Math.abs(sketch.values.value - exact.values.value) / exact.values.value;
  assert.ok(relative < 0.1, `sketch ${sketch.values.value} vs exact ${exact.values.value}`);
});

test('drift.psi sketch matches exact on categories', () => {
  const reference = categories(7, ROWS, [5, 3, 2]);
  const current = categories(8, ROWS, [3, 3, 4]);
  const { exact, sketch } = bothPaths(psiEvaluator, reference, current);

  assert.equal(sketch.convention.sample, 'sketch');
  assert.ok(Math.abs(sketch.values.value - exact.values.value) < 1e-9);
});

test('drift.ks sketch of categories is NaN', () => {
  const reference = categories(9, ROWS, [1, 1]);
  const output = evaluate(ksEvaluator, reference, reference, { exact_max: SKETCH_LIMIT });

  assert.equal(output.convention.sample, 'sketch');
  assert.ok(Number.isNaN(output.values.value));
  assert.match(output.reason ?? '', /categorical/);
});

test('drift.wasserstein sketch honours std_floor', () => {
  const constant = Array.from({ length: ROWS }, () => 5);
  const shifted = Array.from({ length: ROWS }, () => 6);
  const params = { std_floor: 0.5, exact_max: SKETCH_LIMIT };
  const output = evaluate(wassersteinEvaluator, constant, shifted, params);

  assert.equal(output.convention.sample, 'sketch');
  assert.ok(Math.abs(output.values.distance! - 1) < 1e-9);
  assert.ok(Math.abs(output.values.value - 2) < 1e-9);
});

test('drift.auto passes exact_max to the chosen test', () => {
  const { exact, sketch } = bothPaths(autoDriftEvaluator, numericReference, numericCurrent);

  assert.equal(exact.labels.test, 'wasserstein');
  assert.equal(sketch.labels.test, 'wasserstein');
  assert.equal(exact.convention.sample, 'exact');
  assert.equal(sketch.convention.sample, 'sketch');
  assert.equal(exact.values.drift, sketch.values.drift);
  assert.ok(Math.abs(sketch.values.value - exact.values.value) <= 0.03);
});

test('drift.auto sketch picks js for categories', () => {
  const reference = categories(10, ROWS, [5, 3, 2]);
  const current = categories(11, ROWS, [3, 3, 4]);
  const { exact, sketch } = bothPaths(autoDriftEvaluator, reference, current);

  assert.equal(exact.labels.test, 'js');
  assert.equal(sketch.labels.test, 'js');
  assert.equal(sketch.convention.sample, 'sketch');
  assert.ok(Math.abs(sketch.values.value - exact.values.value) < 1e-9);
});
