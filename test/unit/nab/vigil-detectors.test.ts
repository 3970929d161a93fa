import { test } from 'node:test';
import assert from 'node:assert/strict';

import { runDetector } from '../../../bench/nab/detector.ts';
import { VIGIL_DETECTORS } from '../../../bench/nab/vigil-detectors.ts';

const STEP = 5 * 60_000;

function detector(name: string) {
  const found = VIGIL_DETECTORS.find((candidate) => candidate.name === name);
  assert.ok(found !== undefined, `${name} is a NAB detector`);
  return found;
}

void test('bench lists the ensemble and calibrated detectors', () => {
  const names = VIGIL_DETECTORS.map((candidate) => candidate.name);
  for (const name of ['ensemble', 'seasonal-calibrated', 'cusum-calibrated', 'burst-calibrated']) {
    assert.ok(names.includes(name), `${name} in ${names.join(', ')}`);
  }
});

void test('ensemble in the bench detects one spike once', () => {
  let state = 3;
  const timestamps = Array.from({ length: 3000 }, (_, i) => i * STEP);
  const values = timestamps.map((_, i) => {
    state = (state * 48271) % 2147483647;
    return (i >= 2500 && i < 2510 ? 40 : 10) + (state % 100) / 100;
  });
  const run = runDetector(detector('ensemble'), timestamps, values);
  assert.equal(run.invalid, 0);

  // The spike's first point tops every earlier score. Its other nine points are not higher, so
  // the 24 h hold-off reports them as 0.
  const spike = Array.from(run.scores.slice(2500, 2510));
  const before = Math.max(...run.scores.slice(0, 2500));
  assert.ok(spike[0]! > before, `spike ${spike[0]} against ${before} before it`);
  assert.equal(spike.slice(1).filter((score) => score > 0).length, 0);
});
