import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  accuracy,
  averageScores,
  classLabels,
  classScores,
  confusionMatrix,
} from '../../../appliance/stats/classification.ts';
import { assertClose, golden } from './golden.ts';

void test('classification metrics match scikit-learn golden cases', () => {
  assert.ok(golden.classification.length >= 10);
  for (const expected of golden.classification) {
    const name = expected.name;
    const confusion = confusionMatrix(expected.actual, expected.predicted);
    assert.deepEqual(confusion.labels, expected.labels, `${name}: labels`);
    assert.deepEqual(confusion.matrix, expected.confusion, `${name}: confusion`);
    assertClose(accuracy(expected.actual, expected.predicted), expected.accuracy, `${name}: acc`);

    const scores = classScores(confusion);
    expected.per_class.forEach((want: Record<string, number | null>, i: number) => {
      const got = scores[i]!;
      assert.equal(got.label, want.label, `${name}: label ${i}`);
      assert.equal(got.support, want.support, `${name}: support ${want.label}`);
      assertClose(got.precision, want.precision as number | null, `${name}: precision ${i}`);
      assertClose(got.recall, want.recall as number | null, `${name}: recall ${i}`);
      assertClose(got.f1, want.f1 as number | null, `${name}: f1 ${i}`);
    });

    for (const average of ['macro', 'weighted'] as const) {
      const got = averageScores(scores, average);
      for (const metric of ['precision', 'recall', 'f1'] as const) {
        assertClose(got[metric], expected[average][metric], `${name}: ${average} ${metric}`);
      }
    }
  }
});

void test('binary scores are the positive class scores', () => {
  const cases = golden.classification.filter((c: { binary?: unknown }) => c.binary);
  assert.ok(cases.length >= 5);
  for (const expected of cases) {
    const labels = classLabels(expected.actual, expected.predicted);
    const positive = String(expected.binary.positive_label);
    const scores = classScores(confusionMatrix(expected.actual, expected.predicted));
    const got = scores.find((score) => score.label === positive);
    if (!labels.includes(positive)) {
      assert.equal(got, undefined);
      assert.equal(expected.binary.precision, null);
      continue;
    }
    assertClose(got!.precision, expected.binary.precision, `${expected.name}: precision`);
    assertClose(got!.recall, expected.binary.recall, `${expected.name}: recall`);
    assertClose(got!.f1, expected.binary.f1, `${expected.name}: f1`);
  }
});

void test('labels compare as strings', () => {
  assert.equal(accuracy([1, '2'], ['1', 2]), 1);
  assert.deepEqual(classLabels([10, 2], [1]), ['1', '2', '10']);
  assert.deepEqual(classLabels(['10', 2], [1]), ['1', '10', '2']);
});

void test('accuracy of no rows is NaN', () => {
  assert.ok(Number.isNaN(accuracy([], [])));
});
