import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  maeEvaluator,
  mapeEvaluator,
  r2Evaluator,
  rmseEvaluator,
} from '../../../appliance/evaluators/quality/regression.ts';
import {
  accuracyEvaluator,
  f1Evaluator,
  precisionEvaluator,
  recallEvaluator,
} from '../../../appliance/evaluators/quality/classification.ts';
import type { EvaluatorFactory } from '../../../appliance/evaluators/evaluator.ts';
import { FakeReader, contextAt, event } from './fake-reader.ts';

const WINDOW = 10_000;

function run(factory: EvaluatorFactory, reader: FakeReader, params: Record<string, unknown> = {}) {
  const instance = factory.create({ stream: 'bikes', windowMs: WINDOW, params });
  return instance.evaluate(contextAt(reader, 10_000, WINDOW));
}

const regressionEvents = [
  event({ version: 'v1', prediction: 2.5, actual: 3 }),
  event({ version: 'v1', prediction: 0, actual: -0.5 }),
  event({ version: 'v1', prediction: 2, actual: 2 }),
  event({ version: 'v1', prediction: 8, actual: 7 }),
  event({ version: 'v1', prediction: 9, actual: null }),
  event({ version: 'v2', prediction: 4, actual: 4 }),
  event({ version: 'v2', prediction: 6, actual: 4 }),
];

void test('mae is computed per version', () => {
  const outputs = run(maeEvaluator, new FakeReader(regressionEvents));
  assert.equal(outputs.length, 2);
  const v1 = outputs.find((o) => o.labels.version === 'v1')!;
  const v2 = outputs.find((o) => o.labels.version === 'v2')!;
  assert.equal(v1.values.value, 0.5);
  assert.equal(v1.values.n, 4);
  assert.equal(v1.values.skipped, 1);
  assert.equal(v2.values.value, 1);
});

void test('rmse matches scikit-learn', () => {
  const [v1] = run(rmseEvaluator, new FakeReader(regressionEvents));
  // sklearn.metrics.root_mean_squared_error([3, -0.5, 2, 7], [2.5, 0, 2, 8])
  assert.ok(Math.abs(v1!.values.value - 0.6123724356957945) < 1e-12);
});

void test('r2 on constant actual is NaN', () => {
  const outputs = run(r2Evaluator, new FakeReader(regressionEvents));
  const v2 = outputs.find((o) => o.labels.version === 'v2')!;
  assert.ok(Number.isNaN(v2.values.value));
  assert.match(v2.reason ?? '', /every actual is equal/);
});

void test('quality without actuals is NaN', () => {
  const reader = new FakeReader([event({ prediction: 1 }), event({ prediction: 2 })]);
  const [output] = run(maeEvaluator, reader);
  assert.ok(Number.isNaN(output!.values.value));
  assert.equal(output!.values.n, 0);
  assert.match(output!.reason ?? '', /no events with both/);
});

void test('empty window gives one NaN output', () => {
  const outputs = run(accuracyEvaluator, new FakeReader([]));
  assert.equal(outputs.length, 1);
  assert.equal(outputs[0]!.labels.version, '');
  assert.ok(Number.isNaN(outputs[0]!.values.value));
  assert.equal(outputs[0]!.reason, 'no events in window');
});

void test('mape reports zero actuals left out', () => {
  const reader = new FakeReader([
    event({ prediction: 1, actual: 0 }),
    event({ prediction: 1, actual: 2 }),
  ]);
  const [output] = run(mapeEvaluator, reader);
  assert.equal(output!.values.value, 0.5);
  assert.equal(output!.convention.mape_excluded, 1);
});

const classEvents = [
  event({ prediction: 'cat', actual: 'cat' }),
  event({ prediction: 'cat', actual: 'dog' }),
  event({ prediction: 'cat', actual: 'cat' }),
  event({ prediction: 'bird', actual: 'bird' }),
];

void test('accuracy counts matching labels', () => {
  const [output] = run(accuracyEvaluator, new FakeReader(classEvents));
  assert.equal(output!.values.value, 0.75);
  assert.equal(output!.values.n, 4);
});

void test('macro precision skips undefined classes', () => {
  // sklearn precision_score(..., average='macro', zero_division=np.nan) = (1 + 2/3) / 2
  const [output] = run(precisionEvaluator, new FakeReader(classEvents));
  assert.equal(output!.labels.class, '');
  assert.ok(Math.abs(output!.values.value - 5 / 6) < 1e-12);
});

void test('per-class outputs carry the class label', () => {
  const outputs = run(precisionEvaluator, new FakeReader(classEvents), { per_class: true });
  assert.equal(outputs.length, 4);
  const dog = outputs.find((o) => o.labels.class === 'dog')!;
  assert.ok(Number.isNaN(dog.values.value));
  assert.match(dog.reason ?? '', /no event was predicted as this class/);
  assert.equal(dog.values.support, 1);
});

void test('weighted recall weights by support', () => {
  const [output] = run(recallEvaluator, new FakeReader(classEvents), { average: 'weighted' });
  assert.equal(output!.values.value, 0.75);
});

void test('binary f1 scores the positive label', () => {
  const reader = new FakeReader([
    event({ prediction: 1, actual: 1 }),
    event({ prediction: 0, actual: 1 }),
    event({ prediction: 1, actual: 0 }),
    event({ prediction: 0, actual: 0 }),
  ]);
  const [output] = run(f1Evaluator, reader, { average: 'binary', positive_label: 1 });
  assert.equal(output!.labels.class, '1');
  assert.equal(output!.values.value, 0.5);
});

void test('binary without positive label is rejected', () => {
  assert.throws(
    () => f1Evaluator.create({ stream: 'bikes', windowMs: WINDOW, params: { average: 'binary' } }),
    /params\.positive_label is missing/,
  );
});

void test('invalid average is rejected with the value', () => {
  assert.throws(
    () => f1Evaluator.create({ stream: 'bikes', windowMs: WINDOW, params: { average: 'micro' } }),
    /got "micro"/,
  );
});

void test('missing stream is rejected', () => {
  assert.throws(() => maeEvaluator.create({ windowMs: WINDOW, params: {} }), /inputs\.stream/);
});
