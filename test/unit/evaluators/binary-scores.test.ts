import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  logLossEvaluator,
  prAucEvaluator,
  rocAucEvaluator,
} from '../../../appliance/evaluators/quality/binary-scores.ts';
import { confusionMatrixEvaluator } from '../../../appliance/evaluators/quality/confusion-matrix.ts';
import type { EvaluatorFactory } from '../../../appliance/evaluators/evaluator.ts';
import { FakeReader, contextAt, event } from './fake-reader.ts';

function run(factory: EvaluatorFactory, reader: FakeReader, params: Record<string, unknown> = {}) {
  const instance = factory.create({ stream: 'bikes', windowMs: 10_000, params });
  return instance.evaluate(contextAt(reader, 10_000, 10_000));
}

// sklearn.metrics.roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) is 0.75.
const scored = [
  event({ prediction: 0.1, actual: 0 }),
  event({ prediction: 0.4, actual: 0 }),
  event({ prediction: 0.35, actual: 1 }),
  event({ prediction: 0.8, actual: 1 }),
  event({ prediction: 'high', actual: 1 }),
  event({ prediction: 0.9, actual: null }),
];

void test('roc auc skips unscored events', () => {
  const [output] = run(rocAucEvaluator, new FakeReader(scored));
  assert.equal(output!.values.value, 0.75);
  assert.equal(output!.values.n, 4);
  assert.equal(output!.values.skipped, 2);
  assert.equal(output!.convention.definition, 'roc_auc_score');
});

void test('pr auc is average precision', () => {
  const [output] = run(prAucEvaluator, new FakeReader(scored));
  assert.ok(Math.abs(output!.values.value - 0.8333333333333333) < 1e-12);
});

void test('positive label selects the class', () => {
  const events = [
    event({ prediction: 0.9, actual: 'fraud' }),
    event({ prediction: 0.2, actual: 'ok' }),
    event({ prediction: 0.6, actual: 'ok' }),
  ];
  const [output] = run(rocAucEvaluator, new FakeReader(events), { positive_label: 'fraud' });
  assert.equal(output!.values.value, 1);
  assert.equal(output!.convention.positive_label, 'fraud');
});

void test('roc auc with one class is NaN', () => {
  const events = [event({ prediction: 0.3, actual: 1 }), event({ prediction: 0.6, actual: 1 })];
  const [output] = run(rocAucEvaluator, new FakeReader(events));
  assert.ok(Number.isNaN(output!.values.value));
  assert.equal(output!.reason, 'every actual is the positive class');
});

void test('roc auc on empty window is NaN', () => {
  const [output] = run(rocAucEvaluator, new FakeReader([]));
  assert.ok(Number.isNaN(output!.values.value));
  assert.equal(output!.reason, 'no events in window');
});

void test('log loss rejects scores outside 0..1', () => {
  const events = [
    event({ prediction: 1, actual: 1 }),
    event({ prediction: 1.5, actual: 1 }),
    event({ prediction: -0.1, actual: 0 }),
  ];
  const [output] = run(logLossEvaluator, new FakeReader(events));
  assert.equal(output!.values.n, 1);
  assert.equal(output!.values.out_of_range, 2);
  assert.ok(Math.abs(output!.values.value - 2.220446049250313e-16) < 1e-20);
});

void test('log loss of one class is defined', () => {
  const events = [event({ prediction: 0.5, actual: 1 })];
  const [output] = run(logLossEvaluator, new FakeReader(events));
  assert.ok(Math.abs(output!.values.value - Math.LN2) < 1e-15);
  assert.equal(output!.reason, undefined);
});

void test('log loss of confident miss is finite', () => {
  const events = [event({ prediction: 0, actual: 1 })];
  const [output] = run(logLossEvaluator, new FakeReader(events));
  assert.ok(Math.abs(output!.values.value - 36.04365338911715) < 1e-9);
});

void test('bad positive label is rejected at load', () => {
  assert.throws(
    () => run(rocAucEvaluator, new FakeReader([]), { positive_label: true }),
    /params.positive_label is invalid \(got true\)/,
  );
});

void test('confusion matrix gives one output per cell', () => {
  const events = [
    event({ version: 'v1', prediction: 'cat', actual: 'cat' }),
    event({ version: 'v1', prediction: 'dog', actual: 'cat' }),
    event({ version: 'v1', prediction: 'dog', actual: 'dog' }),
    event({ version: 'v1', prediction: null, actual: 'dog' }),
  ];
  const outputs = run(confusionMatrixEvaluator, new FakeReader(events));
  assert.equal(outputs.length, 4);
  const cell = (actual: string, predicted: string) =>
    outputs.find((o) => o.labels.actual === actual && o.labels.predicted === predicted)!;
  assert.equal(cell('cat', 'cat').values.value, 1);
  assert.equal(cell('cat', 'dog').values.value, 1);
  assert.equal(cell('dog', 'cat').values.value, 0);
  assert.equal(cell('dog', 'dog').values.value, 1);
  assert.equal(cell('cat', 'dog').values.row_ratio, 0.5);
  assert.equal(cell('dog', 'dog').values.skipped, 1);
  assert.equal(cell('dog', 'dog').labels.version, 'v1');
});

void test('confusion matrix caps class count', () => {
  const events = [1, 2, 3].map((label) => event({ prediction: label, actual: label }));
  const outputs = run(confusionMatrixEvaluator, new FakeReader(events), { max_classes: 2 });
  assert.equal(outputs.length, 1);
  assert.ok(Number.isNaN(outputs[0]!.values.value));
  assert.match(outputs[0]!.reason ?? '', /3 classes exceed params.max_classes \(2\)/);
});

void test('confusion matrix on empty window is NaN', () => {
  const outputs = run(confusionMatrixEvaluator, new FakeReader([]));
  assert.equal(outputs.length, 1);
  assert.equal(outputs[0]!.reason, 'no events in window');
});
