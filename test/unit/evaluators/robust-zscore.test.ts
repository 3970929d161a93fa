import { test } from 'node:test';
import assert from 'node:assert/strict';
import { robustZscoreEvaluator } from '../../../appliance/evaluators/trend/robust-zscore.ts';
import { RollingRobustWindow } from '../../../appliance/evaluators/trend/rolling-robust-window.ts';
import { median, normalTwoSidedTail } from '../../../appliance/stats/robust.ts';
import type { SeriesSamples } from '../../../appliance/store/store.ts';
import { FakeReader, contextAt } from './fake-reader.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function series(labels: Record<string, string>, values: number[], start = 0): SeriesSamples {
  return {
    name: 'mentions',
    labels,
    timestamps: values.map((_, i) => start + i * MINUTE),
    values,
  };
}

function detector(params: Record<string, unknown> = {}) {
  return robustZscoreEvaluator.create({
    series: { name: 'mentions', matchers: {} },
    windowMs: HOUR,
    params: { window: HOUR, min_points: 5, ...params },
  });
}

/** Robust z by sorting, as a reference for the streaming window. */
function naiveZ(window: number[], x: number): number {
  const center = median(window);
  const mad = median(window.map((v) => Math.abs(v - center)));
  return (x - center) / (1.4826 * mad);
}

void test('rolling window matches a naive median and mad', () => {
  const window = new RollingRobustWindow(50);
  const kept: number[] = [];
  let seed = 7;
  for (let i = 0; i < 500; i += 1) {
    seed = (seed * 48271) % 2147483647;
    const value = (seed % 1000) / 10;
    if (kept.length >= 5) {
      const expected = naiveZ(kept, value);
      assert.ok(Math.abs(window.robustZ(value, 1e-9) - expected) < 1e-9, `point ${i}`);
    }
    window.push(i, value);
    kept.push(value);
    if (kept.length > 50) kept.shift();
  }
  assert.equal(window.count, 50);
});

void test('rolling window evicts by time', () => {
  const window = new RollingRobustWindow(10);
  for (let t = 0; t < 5; t += 1) window.push(t, t);
  window.evictThrough(2);
  assert.equal(window.count, 2);
  assert.equal(window.robustZ(3.5, 1e-9), 0);
});

void test('score is one minus the two-sided tail', () => {
  const values = [10, 11, 9, 10, 12, 8, 10, 30];
  const reader = new FakeReader([], [series({ ticker: 'AAPL' }, values)]);
  const [output] = detector().evaluate(contextAt(reader, 8 * MINUTE, HOUR));
  const z = naiveZ(values.slice(0, 7), 30);
  assert.ok(Math.abs(output!.values.z! - z) < 1e-12);
  assert.ok(Math.abs(output!.values.value - (1 - normalTwoSidedTail(z))) < 1e-15);
  assert.equal(output!.labels.ticker, 'AAPL');
  assert.equal(output!.values.new_points, 8);
});

void test('few points are warming up', () => {
  const reader = new FakeReader([], [series({}, [1, 2, 3])]);
  const [output] = detector().evaluate(contextAt(reader, 3 * MINUTE, HOUR));
  assert.ok(Number.isNaN(output!.values.value));
  assert.ok(Number.isNaN(output!.values.max_score));
  assert.match(output!.reason ?? '', /^warming up/);
});

void test('constant window uses the scale floor', () => {
  const reader = new FakeReader([], [series({}, [5, 5, 5, 5, 5, 5, 5])]);
  const [output] = detector({ scale_floor: 0.5 }).evaluate(contextAt(reader, 7 * MINUTE, HOUR));
  assert.equal(output!.values.z, 0);
  assert.equal(output!.values.value, 0);

  const spike = new FakeReader([], [series({}, [5, 5, 5, 5, 5, 5, 6])]);
  const [spiked] = detector({ scale_floor: 0.5 }).evaluate(contextAt(spike, 7 * MINUTE, HOUR));
  assert.equal(spiked!.values.z, 2);
});

void test('zero mad falls back to mean deviation', () => {
  // Median 0 and MAD 0; mean absolute deviation from the median is 4 / 6.
  const reader = new FakeReader([], [series({}, [0, 0, 0, 0, 1, 3, 2])]);
  const [output] = detector().evaluate(contextAt(reader, 7 * MINUTE, HOUR));
  const expected = 2 / (Math.sqrt(Math.PI / 2) * (4 / 6));
  assert.ok(Math.abs(output!.values.z! - expected) < 1e-12);
});

void test('incremental evaluation equals one batch', () => {
  const values = Array.from({ length: 120 }, (_, i) => Math.sin(i / 3) * 10 + (i === 100 ? 60 : 0));
  const reader = new FakeReader([], [series({ ticker: 'X' }, values)]);

  const batch = detector().evaluate(contextAt(reader, 120 * MINUTE, 120 * MINUTE));
  const stepwise = detector();
  let maxScore = 0;
  let last = stepwise.evaluate(contextAt(reader, 10 * MINUTE, HOUR));
  for (let t = 20; t <= 120; t += 10) {
    last = stepwise.evaluate(contextAt(reader, t * MINUTE, HOUR));
    maxScore = Math.max(maxScore, last[0]!.values.max_score!);
  }
  assert.ok(maxScore > 0.999);
  assert.equal(last[0]!.values.value, batch[0]!.values.value);
  assert.equal(last[0]!.values.z, batch[0]!.values.z);
});

void test('first call reads the warm-up window', () => {
  const reader = new FakeReader([], [series({}, [1, 2, 3])]);
  const instance = detector();
  instance.evaluate(contextAt(reader, 5 * HOUR, HOUR));
  instance.evaluate(contextAt(reader, 5 * HOUR + MINUTE, HOUR));
  assert.deepEqual(reader.pointQueries[0], { from: 4 * HOUR, to: 5 * HOUR });
  assert.deepEqual(reader.pointQueries[1], { from: 5 * HOUR, to: 5 * HOUR + MINUTE });
});

void test('series keep separate windows', () => {
  const reader = new FakeReader(
    [],
    [series({ ticker: 'A' }, [1, 2, 1, 2, 1, 2, 50]), series({ ticker: 'B' }, [1, 2, 3])],
  );
  const outputs = detector().evaluate(contextAt(reader, 7 * MINUTE, HOUR));
  assert.equal(outputs.length, 2);
  const a = outputs.find((o) => o.labels.ticker === 'A')!;
  const b = outputs.find((o) => o.labels.ticker === 'B')!;
  assert.ok(a.values.value > 0.999);
  assert.ok(Number.isNaN(b.values.value));
});

void test('window stays within max points', () => {
  const values = Array.from({ length: 50 }, (_, i) => i % 7);
  const reader = new FakeReader([], [series({}, values)]);
  const [output] = detector({ max_points: 8 }).evaluate(contextAt(reader, 50 * MINUTE, HOUR));
  assert.equal(output!.values.window_points, 8);
});

void test('series over the limit are reported', () => {
  const reader = new FakeReader([], [series({ t: 'A' }, [1]), series({ t: 'B' }, [1])]);
  const outputs = detector({ max_series: 1 }).evaluate(contextAt(reader, MINUTE, HOUR));
  const b = outputs.find((o) => o.labels.t === 'B')!;
  assert.match(b.reason ?? '', /raise params\.max_series/);
});

void test('stale value is held with a reason', () => {
  const reader = new FakeReader([], [series({}, [1, 2, 1, 2, 1, 2, 9])]);
  const instance = detector();
  const [first] = instance.evaluate(contextAt(reader, 7 * MINUTE, HOUR));
  const [second] = instance.evaluate(contextAt(reader, 8 * MINUTE, HOUR));
  assert.equal(second!.values.value, first!.values.value);
  assert.equal(second!.values.new_points, 0);
  assert.match(second!.reason ?? '', /no new points/);
});

void test('invalid min points is rejected', () => {
  assert.throws(
    () =>
      robustZscoreEvaluator.create({
        series: { name: 'mentions', matchers: {} },
        windowMs: HOUR,
        params: { min_points: 0 },
      }),
    /params\.min_points is invalid \(got 0\)/,
  );
});
