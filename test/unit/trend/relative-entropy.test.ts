import { test } from 'node:test';
import assert from 'node:assert/strict';

import { RelativeEntropyDetector } from '../../../appliance/trend/detectors/relative-entropy.ts';

const STEP = 5 * 60_000;

/** Deterministic noise in [-1, 1), so the tests do not depend on Math.random. */
function noise(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 48271) % 2147483647;
    return (state / 2147483647) * 2 - 1;
  };
}

function run(detector: RelativeEntropyDetector, values: number[]): number[] {
  return values.map((value, i) => detector.update(i * STEP, value));
}

void test('relative entropy critical value is the chi-square quantile', () => {
  // scipy.stats.chi2.ppf(0.999, 4) = 18.4668269529, chi2.ppf(0.99, 1) = 6.63489660102.
  const detector = new RelativeEntropyDetector();
  assert.ok(Math.abs(detector.critical - 18.4668269529) < 1e-6, `${detector.critical}`);
  const coarse = new RelativeEntropyDetector({ bins: 2, alpha: 0.01 });
  assert.ok(Math.abs(coarse.critical - 6.63489660102) < 1e-6, `${coarse.critical}`);
});

void test('relative entropy states warm-up', () => {
  const detector = new RelativeEntropyDetector();
  const scores = run(detector, new Array<number>(51).fill(3));
  assert.ok(scores.every((score) => Number.isNaN(score)));
  assert.equal(detector.status(), 'warming up: 51 of 52 points');
});

void test('relative entropy learns a constant series', () => {
  const detector = new RelativeEntropyDetector();
  const scores = run(detector, new Array<number>(2000).fill(3));
  assert.equal(scores[51], 1);
  assert.ok(scores.slice(52).every((score) => score === 0));
  assert.equal(detector.status(), undefined);
});

void test('relative entropy flags a new distribution once', () => {
  const next = noise(7);
  const values = Array.from({ length: 3000 }, (_, i) => (i < 2000 ? 10 + next() : 14 + next()));
  const scores = run(new RelativeEntropyDetector(), values);
  const before = scores.slice(600, 2000).filter((score) => score === 1).length;
  const during = scores.slice(2000, 2052).filter((score) => score === 1).length;
  const after = scores.slice(2200).filter((score) => score === 1).length;
  assert.ok(before < 5, `${before} novel windows in the first regime`);
  assert.ok(during >= 1, `${during} novel windows at the shift`);
  assert.ok(after < 5, `${after} novel windows after the shift`);
});

void test('relative entropy skips NaN', () => {
  const detector = new RelativeEntropyDetector();
  run(detector, new Array<number>(100).fill(3));
  assert.ok(Number.isNaN(detector.update(100 * STEP, NaN)));
  assert.match(detector.status() ?? '', /not a finite number/);
  assert.equal(detector.update(101 * STEP, 3), 0);
});

void test('relative entropy keeps at most maxHypotheses', () => {
  const detector = new RelativeEntropyDetector({ maxHypotheses: 2 });
  const bytes = detector.stateBytes();
  const next = noise(23);
  const values = Array.from({ length: 6000 }, (_, i) => Math.floor(i / 500) * 3 + next());
  const scores = run(detector, values);
  assert.ok(scores.every((score) => Number.isNaN(score) || score === 0 || score === 1));
  assert.equal(detector.stateBytes(), bytes);
  assert.equal(new RelativeEntropyDetector().stateBytes(), 2480);
});

/**
 * Scores a series as the detector does with its defaults, but recounts the whole window at
 * every point and computes each divergence term with its own logarithm.
 */
function recountScores(values: number[], critical: number): number[] {
  const [size, bins, maxHypotheses, smoothing] = [52, 5, 32, 0.5];
  const hypotheses: number[][] = [];
  const matches: number[] = [];
  let [min, max] = [Infinity, -Infinity];
  return values.map((value, i) => {
    min = Math.min(min, value);
    max = Math.max(max, value);
    if (i + 1 < size) return NaN;
    const counts = new Array<number>(bins).fill(0);
    for (const v of values.slice(i + 1 - size, i + 1)) {
      const bin = max > min ? Math.floor((bins * (v - min)) / (max - min)) : 0;
      counts[Math.min(bins - 1, bin)]! += 1;
    }
    let [best, statistic] = [-1, Infinity];
    hypotheses.forEach((hypothesis, h) => {
      let divergence = 0;
      for (let b = 0; b < bins; b += 1) {
        const p = counts[b]! / size;
        const q = (hypothesis[b]! + smoothing) / (size + bins * smoothing);
        if (p > 0) divergence += p * Math.log(p / q);
      }
      if (2 * size * divergence < statistic) [best, statistic] = [h, 2 * size * divergence];
    });
    if (best >= 0 && statistic <= critical) {
      matches[best]! += 1;
      return 0;
    }
    if (hypotheses.length < maxHypotheses) {
      hypotheses.push(counts);
      matches.push(1);
    } else {
      const least = matches.indexOf(Math.min(...matches));
      hypotheses[least] = counts;
      matches[least] = 1;
    }
    return 1;
  });
}

void test('relative entropy matches a full recount', () => {
  const next = noise(31);
  const values = Array.from({ length: 6000 }, (_, i) => {
    const regime = Math.floor(i / 700) % 4;
    return regime * 2 + next() + (i === 4500 ? 30 : 0);
  });
  const detector = new RelativeEntropyDetector();
  const scores = run(detector, values);
  assert.deepEqual(scores, recountScores(values, detector.critical));
  assert.ok(scores.filter((score) => score === 1).length > 4);
});

void test('relative entropy options reject bad values', () => {
  assert.throws(
    () => new RelativeEntropyDetector({ alpha: 0 }),
    /anomaly\.relative_entropy: option alpha is invalid \(got 0\)/,
  );
  assert.throws(() => new RelativeEntropyDetector({ bins: 1 }), /option bins is invalid/);
});
