import { test } from 'node:test';
import assert from 'node:assert/strict';

import type { AnomalyDetector } from '../../../appliance/trend/detectors/detector.ts';
import { scoreFromPValue } from '../../../appliance/trend/detectors/detector.ts';
import { EnsembleDetector, defaultMembers } from '../../../appliance/trend/detectors/ensemble.ts';

const STEP = 5 * 60_000;

/** Creates a member that scores each value as itself and abstains (NaN) for `warmup` points. */
function echo(warmup = 0): AnomalyDetector {
  let seen = 0;
  return {
    update(_time, value) {
      seen += 1;
      return seen <= warmup ? NaN : value;
    },
    status: () => (seen <= warmup ? 'warming up' : undefined),
    stateBytes: () => 8,
  };
}

void test('ensemble of one calibrates the score', () => {
  const detector = new EnsembleDetector([echo()], { calibrationMinScores: 10 });
  for (let i = 0; i < 99; i += 1) detector.update(i * STEP, (i % 10) / 100);

  // 0.5 is above all 99 earlier scores: p = 1 / 100.
  const score = detector.update(99 * STEP, 0.5);
  assert.equal(detector.pValue, 1 / 100);
  assert.equal(score, scoreFromPValue(1 / 100));
});

void test('ensemble takes the smallest p times members', () => {
  const quiet: AnomalyDetector = { update: () => 0, status: () => undefined, stateBytes: () => 8 };
  const detector = new EnsembleDetector([echo(), quiet], { calibrationMinScores: 10 });
  for (let i = 0; i < 49; i += 1) detector.update(i * STEP, 0.1);
  detector.update(49 * STEP, 0.9);

  assert.equal(detector.memberPValues[0], 1 / 50);
  assert.equal(detector.memberPValues[1], 1);
  assert.equal(detector.pValue, 2 / 50);
});

void test('ensemble scores NaN until a member is calibrated', () => {
  const detector = new EnsembleDetector([echo(5)], { calibrationMinScores: 3 });
  const scores = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9].map((value, i) =>
    detector.update(i * STEP, value),
  );
  assert.equal(scores.slice(0, 8).filter((score) => Number.isNaN(score)).length, 8);
  assert.ok(scores[8]! > 0, `score after calibration is ${scores[8]}`);
});

void test('ensemble states why it has no score', () => {
  const detector = new EnsembleDetector([echo(5)], { calibrationMinScores: 3 });
  detector.update(0, 1);
  assert.equal(detector.status(), 'warming up');
  for (let i = 1; i < 6; i += 1) detector.update(i * STEP, 1);
  assert.equal(detector.status(), 'warming up: calibrating on 1 of 3 member scores');
  assert.ok(Number.isNaN(detector.update(6 * STEP, NaN)));
  assert.match(detector.status() ?? '', /not a finite number/);
});

void test('ensemble flags a level shift in noise', () => {
  const detector = new EnsembleDetector(defaultMembers());
  let state = 7;
  const scores: number[] = [];
  let smallestP = 1;
  for (let i = 0; i < 3510; i += 1) {
    state = (state * 48271) % 2147483647;
    const noise = (state / 2147483647) * 2 - 1;
    scores.push(detector.update(i * STEP, (i < 3500 ? 10 : 16) + noise));
    if (i >= 3500) smallestP = Math.min(smallestP, detector.pValue);
  }
  const before = Math.max(...scores.slice(3000, 3500));
  const after = Math.max(...scores.slice(3500));
  assert.ok(after > before, `shift scores ${after}, noise at most ${before}`);
  assert.ok(smallestP < 0.002, `smallest p after the shift is ${smallestP}`);
});

void test('ensemble rejects no members and bad options', () => {
  assert.throws(() => new EnsembleDetector([]), /anomaly\.ensemble: members is empty/);
  assert.throws(
    () => new EnsembleDetector(defaultMembers(), { calibrationBins: 1 }),
    /option calibrationBins is invalid \(got 1\)/,
  );
});

void test('ensemble state includes its members', () => {
  const detector = new EnsembleDetector([echo(), echo()], { calibrationBins: 16 });
  assert.equal(detector.stateBytes(), 8 + 8 + 2 * 8 + 4 * 8 + 2 * (17 + 4) * 8);
});
