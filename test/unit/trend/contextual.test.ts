import { test } from 'node:test';
import assert from 'node:assert/strict';

import { evaluators } from '../../../appliance/evaluators/registry.ts';
import { ContextTable } from '../../../appliance/trend/detectors/context-table.ts';
import {
  CONTEXTUAL_DEFAULTS,
  ContextualDetector,
} from '../../../appliance/trend/detectors/contextual.ts';
import { readSeries } from '../../../bench/nab/corpus.ts';
import { FakeReader, contextAt } from '../evaluators/fake-reader.ts';

const STEP = 5 * 60_000;

/** Options that turn the relative-entropy half off, to test the contexts alone. */
const CONTEXTS_ONLY = { entropyWeight: 0 };

/** Deterministic noise in [-1, 1), so the tests do not depend on Math.random. */
function noise(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 48271) % 2147483647;
    return (state / 2147483647) * 2 - 1;
  };
}

function run(detector: ContextualDetector, times: number[], values: number[]): number[] {
  return values.map((value, i) => detector.update(times[i]!, value));
}

function every5Minutes(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i * STEP);
}

/** Returns the sawtooth 0, 1, ..., 9, 0, 1, ..., in which every context recurs once seen. */
function sawtooth(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i % 10);
}

void test('contextual scores a constant series 0', () => {
  const times = every5Minutes(3000);
  const scores = run(new ContextualDetector(), times, new Array<number>(3000).fill(7));
  const scored = scores.slice(CONTEXTUAL_DEFAULTS.warmupPoints);
  assert.equal(scored.length, 2900);
  assert.ok(
    scored.every((score) => score === 0),
    'every score is 0',
  );
});

void test('contextual recovers after a constant series changes', () => {
  const times = every5Minutes(6000);
  const next = noise(3);
  const values = times.map((_, i) => (i < 3000 ? 7 : 20 + next()));
  const detector = new ContextualDetector();
  const scores = run(detector, times, values);
  assert.ok(scores[3000]! >= 0.5, `change scores ${scores[3000]}`);
  const high = scores.slice(5000).filter((score) => score > 0.5).length;
  assert.ok(high < 50, `${high} of the last 1000 points score above 0.5`);
});

void test('contextual states warm-up on a short series', () => {
  const detector = new ContextualDetector();
  const times = every5Minutes(60);
  const scores = run(detector, times, sawtooth(60));
  assert.ok(scores.every((score) => Number.isNaN(score)));
  assert.equal(detector.status(), 'warming up: 60 of 100 points');
});

void test('contextual learns a repeating pattern', () => {
  const detector = new ContextualDetector();
  const times = every5Minutes(500);
  const scores = run(detector, times, sawtooth(500));
  assert.ok(scores.slice(100).every((score) => score === 0));
  assert.equal(detector.status(), undefined);
});

void test('contextual scores a new level 1', () => {
  const detector = new ContextualDetector(CONTEXTS_ONLY);
  run(detector, every5Minutes(500), new Array<number>(500).fill(5));
  assert.equal(detector.update(500 * STEP, 30), 1);
  assert.equal(detector.level, 9);
  assert.equal(detector.update(501 * STEP, -5), 1);
  assert.equal(detector.level, 0);
});

void test('contextual restarts after a new level', () => {
  const detector = new ContextualDetector(CONTEXTS_ONLY);
  run(detector, every5Minutes(500), new Array<number>(500).fill(5));
  assert.equal(detector.update(500 * STEP, 30), 1);
  // Without the restart, 30 then 5 would be a new transition and score 4 / 5.
  assert.equal(detector.update(501 * STEP, 5), 0);
  assert.equal(detector.level, 1);
});

void test('contextual scores a new transition below 1', () => {
  const detector = new ContextualDetector({ ...CONTEXTS_ONLY, grids: 1, levels: 10 });
  run(detector, every5Minutes(500), sawtooth(500));
  // The series is at 9, and level 2 is known but never followed 9, so orders 1 to 4 are new.
  const score = detector.update(500 * STEP, 2);
  assert.equal(score, 4 / 5);
  assert.equal(detector.update(501 * STEP, 3), 3 / 5);
});

void test('contextual skips NaN points', () => {
  const next = noise(5);
  const values = Array.from({ length: 1000 }, () => 50 + next());
  const times = every5Minutes(1000);
  const plain = run(new ContextualDetector(), times, values);

  const detector = new ContextualDetector();
  const withNaN = values.map((value, i) => {
    if (i === 600) assert.ok(Number.isNaN(detector.update(times[i]!, NaN)));
    if (i === 600) assert.match(detector.status() ?? '', /not a finite number/);
    return detector.update(times[i]!, value);
  });
  assert.deepEqual(withNaN, plain);
  assert.equal(detector.status(), undefined);
});

void test('contextual ignores repeats, steps back and gaps', () => {
  const next = noise(11);
  const values = Array.from({ length: 2000 }, () => 50 + next());
  const regular = run(new ContextualDetector(), every5Minutes(2000), values);

  const irregular: number[] = [];
  let time = 0;
  for (let i = 0; i < 2000; i += 1) {
    if (i % 97 === 0) time += 3 * STEP;
    else if (i % 89 === 0) time += 2 * STEP;
    else if (i % 83 === 0) time -= 11 * 60_000;
    else if (i % 79 !== 0) time += STEP;
    irregular.push(time);
  }
  assert.deepEqual(run(new ContextualDetector(), irregular, values), regular);
});

void test('contextual scores noise mostly low', () => {
  const next = noise(13);
  const times = every5Minutes(4000);
  const scores = run(
    new ContextualDetector(),
    times,
    times.map(() => 50 + next()),
  );
  const high = scores.filter((score) => score > 0.7).length;
  assert.ok(high < 40, `${high} points score above 0.7`);
});

void test('contextual stays in range on machine temperature', () => {
  const data = readSeries(
    'datasets/nab/data',
    'realKnownCause/machine_temperature_system_failure.csv',
  );
  const scores = run(new ContextualDetector(), data.timestamps, data.values);
  const scored = scores.filter((score) => !Number.isNaN(score));
  assert.equal(scored.length, data.values.length - 100);
  assert.ok(scored.every((score) => score >= 0 && score <= 1));
});

void test('contextual state stays bounded', () => {
  const detector = new ContextualDetector({ grids: 1, capacity: 64 });
  const bytes = detector.stateBytes();
  const next = noise(17);
  run(
    detector,
    every5Minutes(5000),
    Array.from({ length: 5000 }, () => next()),
  );
  assert.equal(detector.stateBytes(), bytes);
  assert.equal(new ContextualDetector().stateBytes(), 35_456);
});

void test('context table evicts the least recently seen', () => {
  const table = new ContextTable(4);
  for (const key of [1, 2, 3, 4]) table.touch(key);
  table.touch(1);
  table.touch(5);
  assert.equal(table.size(), 4);
  assert.ok(table.has(1));
  assert.ok(!table.has(2));
  assert.ok(table.has(5));
});

void test('contextual mixes in the window score', () => {
  const detector = new ContextualDetector({ entropyWeight: 0.25 });
  const next = noise(19);
  let windowsNovel = 0;
  for (let i = 0; i < 1000; i += 1) {
    const value = i < 600 ? 50 + next() : 80 + next();
    const score = detector.update(i * STEP, value);
    if (i < 100) continue;
    const expected = 0.75 * detector.novelty + 0.25 * detector.windowNovel;
    assert.ok(Math.abs(score - expected) < 1e-12, `score ${score} at ${i}`);
    windowsNovel += detector.windowNovel;
  }
  assert.ok(windowsNovel >= 1, `${windowsNovel} novel windows`);
});

void test('contextual without window novelty', () => {
  const detector = new ContextualDetector(CONTEXTS_ONLY);
  const next = noise(29);
  for (let i = 0; i < 300; i += 1) {
    const score = detector.update(i * STEP, 50 + next());
    if (i < 100) continue;
    assert.equal(score, detector.novelty);
    assert.ok(Number.isNaN(detector.windowNovel));
  }
  assert.equal(detector.stateBytes(), 32_976);
});

void test('contextual options reject bad values', () => {
  assert.throws(
    () => new ContextualDetector({ levels: 1 }),
    /anomaly\.contextual: option levels is invalid \(got 1\)/,
  );
  assert.throws(() => new ContextualDetector({ levels: 254 }), /use at most 253/);
  assert.throws(() => new ContextualDetector({ capacity: 10 }), /use a multiple of 4/);
  assert.throws(() => new ContextualDetector({ levels: 253, maxOrder: 4 }), /32-bit keys/);
  assert.throws(() => new ContextualDetector({ entropyWeight: 2 }), /option entropyWeight/);
});

void test('anomaly.contextual evaluator scores a spike', () => {
  const factory = evaluators.get('anomaly.contextual');
  assert.ok(factory !== undefined);
  const evaluator = factory.create({
    series: { name: 'mentions', matchers: {} },
    windowMs: STEP,
    params: { warmup_points: 50 },
  });
  const timestamps = every5Minutes(300);
  const values = timestamps.map((_, i) => (i === 299 ? 500 : 20 + (i % 7)));
  const reader = new FakeReader(
    [],
    [{ name: 'mentions', labels: { ticker: 'AAPL' }, timestamps, values }],
  );

  const [output] = evaluator.evaluate(contextAt(reader, 300 * STEP, STEP));
  assert.ok(output !== undefined);
  // Level 9 (above the range) is known from the first rise, so orders 1 to 4 are new, and the
  // window with the spike matches no learned histogram.
  assert.equal(output.values.novelty, 0.8);
  assert.equal(output.values.window_novel, 1);
  assert.equal(output.values.value, 0.9);
  assert.equal(output.values.level, 9);
});
