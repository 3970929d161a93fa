import { test } from 'node:test';
import assert from 'node:assert/strict';

import type { FeatureValue, PredictionEvent, TimeRange } from '../../../appliance/core/types.ts';
import type {
  EvaluationContext,
  EvaluationOutput,
  EvaluatorFactory,
  EvaluatorInputs,
} from '../../../appliance/evaluators/evaluator.ts';
import { chiSquareEvaluator } from '../../../appliance/evaluators/drift/chi-square.ts';
import { ksEvaluator } from '../../../appliance/evaluators/drift/ks.ts';
import { psiEvaluator } from '../../../appliance/evaluators/drift/psi.ts';
import type { WindowReader } from '../../../appliance/window/window-reader.ts';

const HOUR = 3_600_000;
const REFERENCE: TimeRange = { from: 0, to: HOUR };
const WINDOW: TimeRange = { from: 2 * HOUR, to: 3 * HOUR };

function event(
  timestamp: number,
  features: Record<string, FeatureValue>,
  id: number,
): PredictionEvent {
  return {
    stream: 'bikes',
    version: 'v1',
    id: String(id),
    timestamp,
    features: Object.assign(Object.create(null) as Record<string, FeatureValue>, features),
    prediction: 1,
    actual: null,
    latencyMs: null,
    error: false,
  };
}

// Builds events from per-feature columns: row i gets column[i] of every feature.
function events(from: number, columns: Record<string, unknown[]>): PredictionEvent[] {
  const length = Math.max(...Object.values(columns).map((column) => column.length));
  return Array.from({ length }, (_, row) => {
    const features: Record<string, FeatureValue> = {};
    for (const [name, column] of Object.entries(columns)) {
      if (row < column.length) features[name] = column[row] as FeatureValue;
    }
    return event(from + row, features, from + row);
  });
}

// A window reader over fixed events that counts reads per range.
function reader(all: PredictionEvent[]): WindowReader & { reads: number } {
  const data = {
    reads: 0,
    events(_stream: string, range: TimeRange) {
      data.reads += 1;
      return all.filter((item) => item.timestamp >= range.from && item.timestamp < range.to);
    },
    points: () => [],
  };
  return data;
}

function inputs(overrides: Partial<EvaluatorInputs> = {}): EvaluatorInputs {
  return {
    stream: 'bikes',
    windowMs: HOUR,
    reference: { range: REFERENCE },
    params: {},
    ...overrides,
  };
}

function run(
  factory: EvaluatorFactory,
  data: WindowReader,
  overrides: Partial<EvaluatorInputs> = {},
): EvaluationOutput[] {
  const context: EvaluationContext = { time: WINDOW.to, window: WINDOW, data };
  return factory.create(inputs(overrides)).evaluate(context);
}

function byFeature(outputs: EvaluationOutput[], feature: string): EvaluationOutput {
  const output = outputs.find((item) => item.labels.feature === feature);
  assert.ok(output !== undefined, `no output for feature ${feature}`);
  return output;
}

const range = (n: number, start = 1) => Array.from({ length: n }, (_, i) => start + i);

void test('ks evaluator exact small samples', () => {
  const data = reader([
    ...events(REFERENCE.from, { temp: range(5) }),
    ...events(WINDOW.from, { temp: range(5, 6) }),
  ]);
  const output = byFeature(run(ksEvaluator, data), 'temp');
  assert.equal(output.values.value, 1);
  assert.equal(output.values.statistic, 1);
  assert.ok(Math.abs((output.values.p_value as number) - 2 / 252) < 1e-12);
  assert.equal(output.values.n_reference, 5);
  assert.equal(output.values.n_current, 5);
  assert.equal(output.convention.method, 'exact');
});

void test('ks evaluator categorical gives NaN', () => {
  const data = reader([
    ...events(REFERENCE.from, { season: ['a', 'b'], temp: [1, 2] }),
    ...events(WINDOW.from, { season: ['a', 'c'], temp: [1, 2] }),
  ]);
  const outputs = run(ksEvaluator, data);
  const season = byFeature(outputs, 'season');
  assert.ok(Number.isNaN(season.values.value));
  assert.match(season.reason ?? '', /categorical/);
  assert.equal(byFeature(outputs, 'temp').values.value, 0);
});

void test('ks evaluator ignores missing values', () => {
  const data = reader([
    ...events(REFERENCE.from, { x: [1, NaN, 2, 3, null, 'NaN', Infinity] }),
    ...events(WINDOW.from, { x: [1, 2, 3] }),
  ]);
  const output = byFeature(run(ksEvaluator, data), 'x');
  assert.equal(output.values.value, 0);
  assert.equal(output.values.n_reference, 3);
  assert.equal(output.values.missing_reference, 3);
  assert.equal(output.values.non_finite_reference, 1);
  assert.equal(output.convention.missing_reference, 3);
});

void test('all-missing column gives reason', () => {
  const data = reader([
    ...events(REFERENCE.from, { empty: [NaN, NaN, null], temp: [1, 2, 3] }),
    ...events(WINDOW.from, { empty: [1, 2, 3], temp: [1, 2, 3] }),
  ]);
  for (const factory of [ksEvaluator, psiEvaluator, chiSquareEvaluator]) {
    const outputs = run(factory, data);
    const empty = byFeature(outputs, 'empty');
    assert.ok(Number.isNaN(empty.values.value), factory.name);
    assert.match(empty.reason ?? '', /no valid reference values \(3 missing/);
    assert.equal(byFeature(outputs, 'temp').values.value, 0, factory.name);
  }
});

void test('fixed reference read once', () => {
  const data = reader([
    ...events(REFERENCE.from, { temp: range(20) }),
    ...events(WINDOW.from, { temp: range(20) }),
  ]);
  const instance = ksEvaluator.create(inputs());
  for (let i = 0; i < 3; i += 1) {
    instance.evaluate({ time: WINDOW.to, window: WINDOW, data });
  }
  assert.equal(data.reads, 4);
});

void test('offset reference reads earlier window', () => {
  const data = reader([
    ...events(WINDOW.from - HOUR, { temp: range(5) }),
    ...events(WINDOW.from, { temp: range(5, 6) }),
  ]);
  const output = byFeature(run(ksEvaluator, data, { reference: { offsetMs: HOUR } }), 'temp');
  assert.equal(output.values.value, 1);
});

void test('chi2 evaluator unseen category', () => {
  const data = reader([
    ...events(REFERENCE.from, { c: [...Array(10).fill('a'), ...Array(10).fill('b')] }),
    ...events(WINDOW.from, {
      c: [...Array(5).fill('a'), ...Array(5).fill('b'), ...Array(10).fill('c')],
    }),
  ]);
  const output = byFeature(run(chiSquareEvaluator, data), 'c');
  assert.ok(Math.abs(output.values.value - 40 / 3) < 1e-12);
  assert.equal(output.values.dof, 2);
  assert.ok(Math.abs((output.values.p_value as number) - 0.0012726338013398079) < 1e-9);
  assert.equal(output.values.unseen_rate, 0.5);
});

void test('chi2 evaluator same category no drift', () => {
  const data = reader([
    ...events(REFERENCE.from, { c: Array(50).fill('a') }),
    ...events(WINDOW.from, { c: Array(50).fill('a') }),
  ]);
  const output = byFeature(run(chiSquareEvaluator, data), 'c');
  assert.equal(output.values.value, 0);
  assert.equal(output.values.p_value, 1);
});

void test('chi2 evaluator integer codes', () => {
  const codes = (n: number) => range(n, 0).flatMap((code) => Array<number>(10).fill(code));
  const data = reader([
    ...events(REFERENCE.from, { code: codes(12) }),
    ...events(WINDOW.from, { code: codes(13) }),
  ]);
  const output = byFeature(run(chiSquareEvaluator, data), 'code');
  assert.equal(output.values.categories, 13);
  assert.equal(output.values.dof, 12);
  assert.ok(Number.isFinite(output.values.value));
});

void test('psi evaluator states its convention', () => {
  const reference = [...Array(50).fill('a'), ...Array(50).fill('b')];
  const current = [...Array(25).fill('a'), ...Array(25).fill('b'), ...Array(50).fill('c')];
  const data = reader([
    ...events(REFERENCE.from, { c: reference }),
    ...events(WINDOW.from, { c: current }),
  ]);
  const output = byFeature(run(psiEvaluator, data), 'c');
  assert.ok(Math.abs(output.values.value - 4.60431846666895) < 1e-9);
  assert.equal(output.convention.empty_share, 1e-4);
  assert.match(String(output.convention.empty_bin_rule), /min\(epsilon/);
  assert.equal(output.convention.bins, 3);
});

void test('psi evaluator honours bins', () => {
  const data = reader([
    ...events(REFERENCE.from, { x: range(1000) }),
    ...events(WINDOW.from, { x: range(1000, 500) }),
  ]);
  const output = byFeature(run(psiEvaluator, data, { params: { bins: 5 } }), 'x');
  assert.equal(output.values.bins, 5);
  assert.equal(output.convention.bins_requested, 5);
  assert.ok(output.values.value > 0.1);
});

void test('infinity excluded from drift', () => {
  const data = reader([
    ...events(REFERENCE.from, { x: [1, 2, 3, Infinity] }),
    ...events(WINDOW.from, { x: [1, 2, 3, -Infinity, Infinity] }),
  ]);
  const output = byFeature(run(psiEvaluator, data), 'x');
  assert.equal(output.values.value, 0);
  assert.equal(output.values.non_finite_reference, 1);
  assert.equal(output.values.non_finite_current, 2);
});

void test('drift evaluators reject missing reference', () => {
  assert.throws(
    () => ksEvaluator.create({ stream: 'bikes', windowMs: HOUR, params: {} }),
    /reference is missing/,
  );
  assert.throws(() => psiEvaluator.create({ windowMs: HOUR, params: {} }), /stream is missing/);
});
