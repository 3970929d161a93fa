import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { PredictionEvent, SeriesPoint, TimeRange } from '../../../appliance/core/types.ts';
import type { EvaluatorInputs } from '../../../appliance/evaluators/evaluator.ts';
import { SqliteStore } from '../../../appliance/store/sqlite-store.ts';
import type { SeriesSamples } from '../../../appliance/store/store.ts';
import { loadNewest } from '../../../appliance/window/load-newest.ts';
import { cutForExcess } from '../../../appliance/window/memory-cut.ts';
import { ruleLookbackMs } from '../../../appliance/window/rule-lookback.ts';
import { WindowState } from '../../../appliance/window/window-state.ts';
import { makeEvent } from '../store/fixtures.ts';

const NOW = 100_000;
const SEED = 20261204;

/** Opens a window of 1 s buckets and a 100 s horizon, rebuilt at NOW, so memory starts at 0. */
function setup(bounds: { maxEvents?: number; maxPoints?: number }) {
  const store = SqliteStore.open({ directory: ':memory:' });
  const window = new WindowState({ store, bucketMs: 1_000, horizonMs: 100_000, ...bounds });
  window.rebuild(NOW);
  return { store, window };
}

/** Events `first` to `first + count - 1`, 10 ms apart, alternating two streams. */
function events(first: number, count: number): PredictionEvent[] {
  return Array.from({ length: count }, (_, i) =>
    makeEvent({
      id: `e${first + i}`,
      stream: (first + i) % 2 === 0 ? 'bikes' : 'trains',
      timestamp: (first + i) * 10,
    }),
  );
}

function points(first: number, count: number): SeriesPoint[] {
  return Array.from({ length: count }, (_, i) => ({
    name: 'mentions',
    labels: { ticker: (first + i) % 3 === 0 ? 'AAPL' : 'MSFT' },
    value: first + i,
    timestamp: (first + i) * 10,
  }));
}

/** Ids and timestamps of a read, ties ordered by id, to compare with a store read. */
function eventKeys(list: readonly PredictionEvent[]): string[] {
  return list.map((event) => `${event.timestamp}:${event.id}`).sort();
}

function sampleKeys(list: readonly SeriesSamples[]): string[] {
  return list.flatMap((samples) =>
    samples.timestamps.map((t, i) => `${samples.labels.ticker}:${t}:${samples.values[i]}`),
  );
}

void test('memory holds at most maxEvents', () => {
  const { store, window } = setup({ maxEvents: 100 });
  for (let batch = 0; batch < 10; batch++) {
    const list = events(batch * 100, 100);
    store.insertEvents(list);
    window.addEvents(list);
    assert.ok(window.memoryCounts().events <= 100, `batch ${batch}`);
  }

  const inMemory = window.memoryCounts().events;
  assert.ok(inMemory >= 90, `inMemory ${inMemory}`);
  const newest = { from: 9_980, to: 10_000 };
  assert.deepEqual(
    window.events('bikes', newest).map((event) => event.id),
    ['e998'],
  );
  assert.deepEqual(
    window.events('trains', newest).map((event) => event.id),
    ['e999'],
  );
});

void test('reads across event cut stay exact', () => {
  const { store, window } = setup({ maxEvents: 100 });
  const list = events(0, 1_000);
  store.insertEvents(list);
  window.addEvents(list);

  const ranges: TimeRange[] = [
    { from: 0, to: 10_000 },
    { from: 4_005, to: 9_555 },
    { from: 8_995, to: 9_005 },
    { from: 9_500, to: 20_000 },
  ];
  for (const range of ranges) {
    for (const stream of ['bikes', 'trains']) {
      const read = eventKeys(window.events(stream, range));
      const expected = eventKeys(store.queryEvents(stream, range));
      assert.deepEqual(read, expected, `${stream} ${range.from}-${range.to}`);
    }
  }
});

void test('memory holds at most maxPoints', () => {
  const { store, window } = setup({ maxPoints: 50 });
  for (let batch = 0; batch < 10; batch++) {
    const list = points(batch * 50, 50);
    store.insertPoints(list);
    window.addPoints(list);
    assert.ok(window.memoryCounts().points <= 50, `batch ${batch}`);
  }

  const range = { from: 1_234, to: 5_000 };
  const read = sampleKeys(window.points('mentions', {}, range));
  const expected = sampleKeys(store.queryPoints('mentions', {}, range));
  assert.deepEqual(read, expected);
  assert.equal(read.length, 376);
});

void test('rebuild loads newest events within bound', () => {
  const { store } = setup({});
  store.insertEvents(events(0, 1_000));
  const window = new WindowState({ store, bucketMs: 1_000, horizonMs: 100_000, maxEvents: 100 });
  window.rebuild(NOW);

  const inMemory = window.memoryCounts().events;
  assert.ok(inMemory <= 100, `inMemory ${inMemory}`);
  assert.ok(inMemory >= 90, `inMemory ${inMemory}`);
  const range = { from: 0, to: 10_000 };
  assert.equal(window.events('bikes', range).length, 500);
  assert.deepEqual(
    eventKeys(window.events('trains', range)),
    eventKeys(store.queryEvents('trains', range)),
  );
});

void test('lazy series load keeps every name exact', () => {
  const { store } = setup({});
  store.insertPoints(points(0, 400));
  store.insertPoints(points(0, 400).map((point) => ({ ...point, name: 'replies' })));
  const window = new WindowState({ store, bucketMs: 1_000, horizonMs: 100_000, maxPoints: 300 });
  window.rebuild(NOW);

  const range = { from: 0, to: 10_000 };
  for (const name of ['mentions', 'replies', 'mentions']) {
    const read = sampleKeys(window.points(name, {}, range));
    assert.deepEqual(read, sampleKeys(store.queryPoints(name, {}, range)), name);
    assert.equal(read.length, 400);
  }
  assert.ok(window.memoryCounts().points <= 300);
});

void test('bounded window matches store on random ingest', () => {
  const row = fc.record({
    stream: fc.constantFrom('a', 'b', 'c'),
    timestamp: fc.integer({ min: 0, max: 20_000 }),
  });
  const property = fc.property(
    fc.array(fc.array(row, { maxLength: 40 }), { maxLength: 12 }),
    fc.integer({ min: 1, max: 60 }),
    fc.integer({ min: 0, max: 20_000 }),
    fc.integer({ min: 1, max: 20_000 }),
    (batches, maxEvents, from, length) => {
      const store = SqliteStore.open({ directory: ':memory:' });
      const window = new WindowState({ store, bucketMs: 1_000, horizonMs: 100_000, maxEvents });
      window.rebuild(NOW);
      let next = 0;
      for (const batch of batches) {
        const list = batch.map((fields) => makeEvent({ id: `e${next++}`, ...fields }));
        store.insertEvents(list);
        window.addEvents(list);
        if (window.memoryCounts().events > maxEvents) return false;
      }

      const range = { from, to: from + length };
      return ['a', 'b', 'c'].every((stream) => {
        const read = eventKeys(window.events(stream, range));
        return read.join() === eventKeys(store.queryEvents(stream, range)).join();
      });
    },
  );
  fc.assert(property, { seed: SEED, numRuns: 200 });
});

void test('cut takes whole timestamps', () => {
  const window = {
    bucketSizes: () => [[1_000, 4] as [number, number], [0, 2] as [number, number]],
    timestampsIn: (start: number) => (start === 0 ? [10, 20] : [1_500, 1_500, 1_200, 1_900]),
  };

  assert.equal(cutForExcess([window], 2, 1_000), 1_000);
  assert.equal(cutForExcess([window], 3, 1_000), 1_500);
  assert.equal(cutForExcess([window], 4, 1_000), 1_900);
  assert.equal(cutForExcess([window], 5, 1_000), 1_900);
  assert.equal(cutForExcess([window], 6, 1_000), 2_000);
  assert.equal(cutForExcess([window], 7, 1_000), Number.POSITIVE_INFINITY);
});

void test('newest-first load widens sparse chunks', () => {
  const reads: TimeRange[] = [];
  const result = loadNewest({
    from: 0,
    now: 100_000,
    bucketMs: 1_000,
    maxSize: 10,
    read: (range) => {
      reads.push(range);
      return { items: null, size: range.from < 90_000 ? 6 : 0 };
    },
  });

  assert.deepEqual(reads[0], { from: 100_000, to: Number.POSITIVE_INFINITY });
  assert.deepEqual(reads[1], { from: 98_000, to: 100_000 });
  assert.deepEqual(reads[2], { from: 94_000, to: 98_000 });
  assert.equal(result.loadedFrom, reads[reads.length - 1]!.from);
  assert.equal(result.chunks[0]!.range.from, result.loadedFrom);
  assert.equal(
    result.chunks.reduce((total, chunk) => total + chunk.size, 0),
    12,
  );
});

void test('prune keeps only the rule lookback', () => {
  const { store, window } = setup({});
  const list = events(0, 1_000);
  store.insertEvents(list);
  window.addEvents(list);

  window.prune(10_000, 2_000);
  assert.equal(window.memoryCounts().events, 200);
  const range = { from: 5_000, to: 10_000 };
  assert.deepEqual(
    eventKeys(window.events('bikes', range)),
    eventKeys(store.queryEvents('bikes', range)),
  );
});

void test('rule lookback adds offset and interval', () => {
  const rule = (windowMs: number, reference?: EvaluatorInputs['reference']) => ({
    kind: 'record' as const,
    name: 'r',
    evaluator: 'quality.mae',
    field: 'value',
    labels: {},
    position: { file: 'r.yaml', line: 1, column: 1 },
    inputs: { windowMs, params: {}, ...(reference === undefined ? {} : { reference }) },
  });
  const group = (intervalMs: number, rules: ReturnType<typeof rule>[]) => ({
    name: 'g',
    file: 'r.yaml',
    intervalMs,
    rules,
  });

  assert.equal(ruleLookbackMs({ groups: [] }), 0);
  assert.equal(ruleLookbackMs({ groups: [group(5_000, [rule(300_000)])] }), 305_000);
  const drift = rule(3_600_000, { offsetMs: 86_400_000 });
  assert.equal(ruleLookbackMs({ groups: [group(60_000, [drift])] }), 90_060_000);
  const fixed = rule(60_000, { range: { from: 0, to: 1_000 } });
  assert.equal(ruleLookbackMs({ groups: [group(1_000, [fixed])] }), 61_000);
});
