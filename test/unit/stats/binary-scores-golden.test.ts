import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { averagePrecision, logLoss, rocAuc } from '../../../appliance/stats/binary-scores.ts';
import { confusionMatrix } from '../../../appliance/stats/classification.ts';
import { assertClose } from './golden.ts';

interface ScoreCase {
  name: string;
  positive: number[];
  scores: number[];
  roc_auc: number | null;
  average_precision: number | null;
  log_loss: number | null;
}

interface ConfusionCase {
  name: string;
  actual: (number | string)[];
  predicted: (number | string)[];
  labels: string[];
  matrix: number[][];
}

const golden = JSON.parse(
  readFileSync(new URL('../../golden/quality_extra.json', import.meta.url), 'utf8'),
) as { scores: ScoreCase[]; confusion: ConfusionCase[] };

void test('golden file has the score cases', () => {
  assert.ok(golden.scores.length >= 10);
  assert.ok(golden.confusion.length >= 5);
});

for (const entry of golden.scores) {
  const positive = entry.positive.map((value) => value === 1);
  const clipped = entry.scores.map((score) => Math.min(1, Math.max(0, score)));

  void test(`roc auc matches scikit-learn: ${entry.name}`, () => {
    assertClose(rocAuc(positive, entry.scores), entry.roc_auc, 'roc_auc');
  });

  void test(`average precision matches scikit-learn: ${entry.name}`, () => {
    assertClose(averagePrecision(positive, entry.scores), entry.average_precision, 'ap');
  });

  void test(`log loss matches scikit-learn: ${entry.name}`, () => {
    assertClose(logLoss(positive, clipped), entry.log_loss, 'log_loss');
  });
}

for (const entry of golden.confusion) {
  void test(`confusion matrix matches scikit-learn: ${entry.name}`, () => {
    const result = confusionMatrix(entry.actual, entry.predicted);
    assert.deepEqual(result.labels, entry.labels);
    assert.deepEqual(result.matrix, entry.matrix);
  });
}
