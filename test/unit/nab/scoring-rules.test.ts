import assert from 'node:assert/strict';
import { test } from 'node:test';

import { benchmarkDetector } from '../../../bench/nab/benchmark.ts';
import type { NabSeries } from '../../../bench/nab/corpus.ts';
import { runDetector } from '../../../bench/nab/detector.ts';
import { nullDetector } from '../../../bench/nab/null-detector.ts';
import { pairwiseSum } from '../../../bench/nab/pairwise-sum.ts';
import type { Profile } from '../../../bench/nab/profiles.ts';
import { optimiseThreshold, scoreFile } from '../../../bench/nab/score.ts';
import { MAX_TP, prepareRows, scaledSigmoid } from '../../../bench/nab/sweep.ts';
import { locateWindows, probationaryLength } from '../../../bench/nab/windows.ts';

const STANDARD: Profile = { name: 'standard', cost: { tpWeight: 1, fpWeight: 0.11, fnWeight: 1 } };
const LOW_FN: Profile = {
  name: 'reward_low_FN_rate',
  cost: { tpWeight: 1, fpWeight: 0.11, fnWeight: 2 },
};
const MINUTE = 60_000;

/** Builds a series of `count` rows one minute apart with windows at the given row ranges. */
function synthetic(count: number, ranges: [number, number][]) {
  const timestamps = Array.from({ length: count }, (_, i) => i * MINUTE);
  const limits = ranges.map(([start, end]) => ({ start: start * MINUTE, end: end * MINUTE }));
  const data: NabSeries = {
    key: 'synthetic/a.csv',
    category: 'synthetic',
    timestamps,
    values: timestamps.map(() => 0),
  };
  return { data, rows: prepareRows(data.key, data.category, timestamps, limits) };
}

void test('scaled sigmoid matches NAB values', () => {
  assert.ok(Math.abs(scaledSigmoid(-1) - 0.98661) < 1e-5);
  assert.ok(Math.abs(scaledSigmoid(-0.5) - 0.84828) < 1e-5);
  assert.equal(scaledSigmoid(0), 0);
  assert.ok(Math.abs(scaledSigmoid(1) + 0.98661) < 1e-5);
  assert.equal(scaledSigmoid(3), -1);
  assert.equal(scaledSigmoid(10), -1);
});

void test('probationary period is 15% capped at 750', () => {
  assert.equal(probationaryLength(1000), 150);
  assert.equal(probationaryLength(4033), 604);
  assert.equal(probationaryLength(5000), 750);
  assert.equal(probationaryLength(22695), 750);
});

void test('detections in probation are ignored', () => {
  const { data, rows } = synthetic(1000, [[500, 599]]);
  const scores = new Float64Array(1000);
  scores[10] = 1;
  const result = scoreFile({ rows, scores }, 0.5, STANDARD.cost);
  assert.equal(result.raw, -1);
  assert.equal(result.fp, 0);
  assert.equal(result.total, data.timestamps.length);
});

void test('earliest detection in a window counts once', () => {
  const { rows } = synthetic(1000, [[500, 599]]);
  const early = new Float64Array(1000);
  early[500] = 1;
  const both = Float64Array.from(early);
  both[580] = 1;

  const earlyScore = scoreFile({ rows, scores: early }, 0.5, STANDARD.cost);
  const bothScore = scoreFile({ rows, scores: both }, 0.5, STANDARD.cost);
  assert.ok(Math.abs(earlyScore.raw - scaledSigmoid(-1) / MAX_TP) < 1e-12);
  assert.equal(bothScore.raw, earlyScore.raw);
  assert.equal(bothScore.tp, 2);
});

void test('false positive costs less just after a window', () => {
  const { rows } = synthetic(1000, [[500, 599]]);
  const near = new Float64Array(1000);
  near[601] = 1;
  const far = new Float64Array(1000);
  far[900] = 1;

  const nearScore = scoreFile({ rows, scores: near }, 0.5, STANDARD.cost);
  const farScore = scoreFile({ rows, scores: far }, 0.5, STANDARD.cost);
  assert.ok(nearScore.raw > farScore.raw, `${nearScore.raw} vs ${farScore.raw}`);
  assert.ok(Math.abs(farScore.raw - (-1 - 0.11)) < 1e-12);
});

void test('null scores 0 and perfect scores 100', () => {
  const series = [
    synthetic(2000, [
      [400, 499],
      [1200, 1299],
    ]),
  ];
  const perfect = {
    name: 'perfect',
    create: () => ({ score: (t: number) => (t === 400 * MINUTE || t === 1200 * MINUTE ? 1 : 0) }),
  };

  for (const detector of [nullDetector, perfect]) {
    const result = benchmarkDetector(detector, series, { profiles: [STANDARD, LOW_FN] });
    const expected = detector === perfect ? 100 : 0;
    for (const profile of result.profiles) {
      const overall = profile.groups.at(-1)!;
      assert.equal(overall.group, 'overall');
      assert.ok(
        Math.abs(overall.normalised - expected) < 1e-9,
        `${detector.name} ${profile.profile}: ${overall.normalised}`,
      );
    }
  }
});

void test('optimised threshold beats every other threshold', () => {
  let seed = 7;
  const random = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  const files = [
    synthetic(1500, [
      [300, 399],
      [900, 999],
    ]),
    synthetic(1200, [[700, 799]]),
  ].map(({ rows }) => ({ rows, scores: Float64Array.from({ length: rows.rowCount }, random) }));
  const total = (threshold: number) =>
    files.reduce((sum, file) => sum + scoreFile(file, threshold, STANDARD.cost).raw, 0);

  const optimum = optimiseThreshold(files, STANDARD.cost);
  assert.ok(Math.abs(optimum.raw - total(optimum.threshold)) < 1e-9);
  for (let threshold = 0; threshold <= 1; threshold += 0.001) {
    assert.ok(total(threshold) <= optimum.raw + 1e-9, `threshold ${threshold}`);
  }
});

void test('window limit off the rows is rejected', () => {
  const timestamps = [0, MINUTE, 2 * MINUTE];
  assert.throws(
    () => locateWindows('x.csv', timestamps, [{ start: 30_000, end: 2 * MINUTE }]),
    /x\.csv: window limit 1970-01-01T00:00:30\.000Z matches no row/,
  );
});

void test('invalid detector outputs are counted', () => {
  const outputs = [0.5, NaN, 2, -1, 1];
  const detector = {
    name: 'bad',
    create: () => {
      let i = 0;
      return { score: () => outputs[i++]! };
    },
  };
  const run = runDetector(detector, [0, 1, 2, 3, 4], [0, 0, 0, 0, 0]);
  assert.deepEqual([...run.scores], [0.5, 0, 0, 0, 1]);
  assert.equal(run.invalid, 3);
});

void test('pairwise sum rounds as numpy', () => {
  // numpy 2.4: np.sum(np.array([1.0] + [1e-16] * 200)) == 1.0000000000000189,
  // where a left-to-right sum gives exactly 1.0.
  const values = [1, ...Array.from({ length: 200 }, () => 1e-16)];
  assert.equal(pairwiseSum(values, 0, values.length), 1.0000000000000189);
});
