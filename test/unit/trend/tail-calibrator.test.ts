import { test } from 'node:test';
import assert from 'node:assert/strict';

import { TailCalibrator } from '../../../appliance/trend/detectors/tail-calibrator.ts';

function learnAll(calibrator: TailCalibrator, scores: number[]): void {
  for (const score of scores) calibrator.learn(score);
}

void test('calibrator abstains below min count', () => {
  const calibrator = new TailCalibrator(100, 1000, 3);
  learnAll(calibrator, [0.1, 0.2]);
  assert.ok(Number.isNaN(calibrator.pValue(0.5)));
  calibrator.learn(0.3);
  assert.equal(calibrator.pValue(0.5), 1 / 4);
});

void test('calibrator p-value is the empirical tail', () => {
  const calibrator = new TailCalibrator(1000, 1e9, 1);
  const scores = Array.from({ length: 99 }, (_, i) => (i + 0.5) / 100);
  learnAll(calibrator, scores);

  // 9 of the 99 earlier scores are at or above 0.9 (0.905 to 0.985).
  assert.equal(calibrator.pValue(0.9), 10 / 100);
  assert.equal(calibrator.pValue(0.999), 1 / 100);
  assert.equal(calibrator.pValue(0), 1);
});

void test('calibrator interpolates inside a bin', () => {
  const calibrator = new TailCalibrator(10, 1e9, 1);
  learnAll(calibrator, [0.5, 0.5, 0.5, 0.5]);

  // All four sit in the bin [0.5, 0.6): a quarter of the way in, three quarters count as above.
  assert.equal(calibrator.pValue(0.525), (1 + 3) / 5);
  assert.equal(calibrator.pValue(0.45), 1);
  assert.equal(calibrator.pValue(0.7), 1 / 5);
});

void test('calibrator counts ties at 1 as above', () => {
  const calibrator = new TailCalibrator(4, 1e9, 1);
  learnAll(calibrator, [0.1, 1, 1]);
  assert.equal(calibrator.pValue(1), (1 + 2) / 4);
  // Above 0.1: the two 1s and, by interpolation, 0.6 of the bin [0, 0.25) that contains 0.1.
  assert.equal(calibrator.pValue(0.1), (1 + 2 + 0.6) / 4);
});

void test('calibrator halves counts at twice the memory', () => {
  const calibrator = new TailCalibrator(10, 50, 1);
  learnAll(calibrator, new Array<number>(99).fill(0.05));
  assert.equal(calibrator.weight, 99);
  calibrator.learn(0.05);
  assert.equal(calibrator.weight, 50);
  assert.equal(calibrator.pValue(0.95), 1 / 51);
});

void test('calibrator forgets an old regime', () => {
  const calibrator = new TailCalibrator(100, 200, 1);
  learnAll(calibrator, new Array<number>(400).fill(0.9));
  const before = calibrator.pValue(0.85);
  learnAll(calibrator, new Array<number>(2000).fill(0.1));
  const after = calibrator.pValue(0.85);
  assert.ok(before > 0.99, `p before is ${before}`);
  assert.ok(after < 0.01, `p after is ${after}`);
});

void test('calibrator ignores NaN', () => {
  const calibrator = new TailCalibrator(10, 100, 1);
  calibrator.learn(NaN);
  assert.equal(calibrator.weight, 0);
  assert.ok(Number.isNaN(calibrator.pValue(NaN)));
});
