import { test } from 'node:test';
import assert from 'node:assert/strict';

import { readSeries } from '../../../bench/nab/corpus.ts';
import { BurstDetector } from '../../../appliance/trend/detectors/burst.ts';
import { CusumDetector } from '../../../appliance/trend/detectors/cusum.ts';
import type { AnomalyDetector } from '../../../appliance/trend/detectors/detector.ts';
import { scoreFromPValue } from '../../../appliance/trend/detectors/detector.ts';
import { EnsembleDetector, defaultMembers } from '../../../appliance/trend/detectors/ensemble.ts';
import { EwmaDetector } from '../../../appliance/trend/detectors/ewma.ts';
import { HoldoffDetector } from '../../../appliance/trend/detectors/holdoff.ts';
import { KmeansDetector } from '../../../appliance/trend/detectors/kmeans.ts';
import { SeasonalDetector } from '../../../appliance/trend/detectors/seasonal.ts';

const MINUTE = 60_000;
const STEP = 5 * MINUTE;

const detectors: Record<string, () => AnomalyDetector> = {
  kmeans: () => new KmeansDetector(),
  seasonal: () => new SeasonalDetector(),
  ewma: () => new EwmaDetector(),
  cusum: () => new CusumDetector(),
  burst: () => new BurstDetector(),
  ensemble: () => new EnsembleDetector(defaultMembers()),
};

/** Deterministic noise in [-1, 1), so the tests do not depend on Math.random. */
function noise(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 48271) % 2147483647;
    return (state / 2147483647) * 2 - 1;
  };
}

function run(detector: AnomalyDetector, times: number[], values: number[]): number[] {
  return values.map((value, i) => detector.update(times[i]!, value));
}

function every5Minutes(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i * STEP);
}

void test('score from p-value is log scaled', () => {
  assert.equal(scoreFromPValue(1), 0);
  assert.equal(scoreFromPValue(1e-6), 0.5);
  assert.ok(scoreFromPValue(1e-30) > scoreFromPValue(1e-20));
  assert.equal(scoreFromPValue(0), 308 / 314);
  assert.ok(Number.isNaN(scoreFromPValue(NaN)));
});

for (const [name, create] of Object.entries(detectors)) {
  void test(`${name} scores a constant series 0`, () => {
    const times = every5Minutes(3000);
    const scores = run(create(), times, new Array<number>(3000).fill(7));
    const scored = scores.filter((score) => !Number.isNaN(score));
    assert.ok(scored.length > 1000, `${scored.length} points scored`);
    assert.ok(
      scored.every((score) => score === 0),
      'every score is 0',
    );
  });

  void test(`${name} recovers after a constant series changes`, () => {
    const times = every5Minutes(6000);
    const next = noise(3);
    const values = times.map((_, i) => (i < 3000 ? 7 : 20 + next()));
    const scores = run(create(), times, values);
    const last = scores.slice(5000).filter((score) => score > 0.5).length;
    assert.ok(last < 100, `${last} of the last 1000 points score above 0.5`);
  });

  void test(`${name} handles NaN points`, () => {
    const detector = create();
    const next = noise(5);
    const times = every5Minutes(3000);
    const before = run(
      detector,
      times.slice(0, 2999),
      times.slice(0, 2999).map(() => next()),
    );
    assert.ok(before.some((score) => !Number.isNaN(score)));
    assert.ok(Number.isNaN(detector.update(times[2999]!, NaN)));
    assert.match(detector.status() ?? '', /not a finite number/);
    const after = detector.update(times[2999]! + STEP, next());
    assert.ok(after >= 0 && after <= 1, `score after NaN is ${after}`);
    assert.equal(detector.status(), undefined);
  });

  void test(`${name} tolerates gaps of 2 and 3 intervals`, () => {
    const next = noise(11);
    const times: number[] = [];
    let time = 0;
    for (let i = 0; i < 4000; i += 1) {
      time += i % 97 === 0 ? 3 * STEP : i % 89 === 0 ? 2 * STEP : STEP;
      times.push(time);
    }
    const values = times.map(() => 50 + next());
    const scores = run(create(), times, values);
    assert.ok(scores.every((score) => Number.isNaN(score) || (score >= 0 && score <= 1)));
    const high = scores.filter((score) => score > 0.7).length;
    assert.ok(high < 40, `${high} points score above 0.7`);
  });
}

void test('kmeans reports no score on a short series', () => {
  const detector = new KmeansDetector();
  const times = every5Minutes(30);
  const scores = run(
    detector,
    times,
    times.map((_, i) => i % 7),
  );
  assert.ok(scores.every((score) => Number.isNaN(score)));
  assert.match(detector.status() ?? '', /warming up: \d+ of 36 feature vectors/);
});

void test('kmeans needs every model to agree', () => {
  const detector = new KmeansDetector({ maxModels: 3 });
  const next = noise(17);
  const times = every5Minutes(2000);
  const scores = run(
    detector,
    times,
    times.map(() => next()),
  );
  const spike = detector.update(2000 * STEP, 40);
  assert.ok(spike > 0.9, `spike scores ${spike}`);
  assert.ok(detector.ratio > 10);
  const typical = scores.slice(1000).filter((score) => score > 0.5).length;
  assert.ok(typical < 20, `${typical} noise points score above 0.5`);
});

void test('machine temperature file has repeats and a step back', () => {
  const data = readSeries(
    'datasets/nab/data',
    'realKnownCause/machine_temperature_system_failure.csv',
  );
  const repeats = data.timestamps.length - new Set(data.timestamps).size;
  let stepBack = 0;
  for (let i = 1; i < data.timestamps.length; i += 1) {
    const delta = data.timestamps[i]! - data.timestamps[i - 1]!;
    if (delta < 0) stepBack = Math.min(stepBack, delta);
  }
  assert.equal(repeats, 12);
  assert.equal(stepBack, -3_300_000);

  for (const [name, create] of Object.entries(detectors)) {
    const scores = run(create(), data.timestamps, data.values);
    const valid = scores.every((score) => Number.isNaN(score) || (score >= 0 && score <= 1));
    assert.ok(valid, `${name} scores stay in [0, 1]`);
    assert.ok(scores.filter((score) => !Number.isNaN(score)).length > 20_000, name);
  }
});

void test('holdoff zeroes echoes of one anomaly', () => {
  const inner: AnomalyDetector = {
    update: (_time, value) => value,
    status: () => undefined,
    stateBytes: () => 0,
  };
  const detector = new HoldoffDetector(inner, 10 * MINUTE);
  const scores = [0.9, 0.8, 0.95, 0.5, 0.7].map((s, i) => detector.update(i * MINUTE, s));
  assert.deepEqual(scores, [0.9, 0, 0.95, 0, 0]);
  assert.equal(detector.update(30 * MINUTE, 0.4), 0.4);
});

void test('options reject a bad value naming it', () => {
  assert.throws(
    () => new KmeansDetector({ k: 0 }),
    /anomaly\.kmeans: option k is invalid \(got 0\)/,
  );
  assert.throws(() => new EwmaDetector({ lambda: 2 }), /option lambda is invalid/);
});
