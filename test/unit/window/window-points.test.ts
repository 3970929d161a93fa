import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SeriesPoint } from '../../../appliance/core/types.ts';
import { SqliteStore } from '../../../appliance/store/sqlite-store.ts';
import { WindowState } from '../../../appliance/window/window-state.ts';

const NOW = 100_000;

function setup() {
  const store = SqliteStore.open({ directory: ':memory:' });
  const window = new WindowState({ store, bucketMs: 1_000, horizonMs: 10_000 });
  window.rebuild(NOW);
  return { store, window };
}

function ingest(store: SqliteStore, window: WindowState, points: SeriesPoint[]): void {
  store.insertPoints(points);
  window.addPoints(points);
}

function point(
  timestamp: number,
  value: number,
  labels: Record<string, string> = { ticker: 'AAPL' },
): SeriesPoint {
  return { name: 'mentions', labels, value, timestamp };
}

void test('points cut at bucket edges in order', () => {
  const { store, window } = setup();
  ingest(store, window, [point(91_999, 3), point(91_000, 2), point(92_000, 4), point(90_999, 1)]);

  const [series] = window.points('mentions', {}, { from: 91_000, to: 92_001 });

  assert.deepEqual(series!.timestamps, [91_000, 91_999, 92_000]);
  assert.deepEqual(series!.values, [2, 3, 4]);
});

void test('late point at known timestamp replaces it', () => {
  const { store, window } = setup();
  ingest(store, window, [point(95_100, 1), point(95_500, 2), point(95_100, 9)]);

  const [series] = window.points('mentions', {}, { from: 95_000, to: 96_000 });
  const [stored] = store.queryPoints('mentions', {}, { from: 95_000, to: 96_000 });

  assert.deepEqual(series!.timestamps, [95_100, 95_500]);
  assert.deepEqual(series!.values, [9, 2]);
  assert.deepEqual(stored!.values, series!.values);
});

void test('window point matchers select label subsets', () => {
  const { store, window } = setup();
  ingest(store, window, [
    point(95_000, 1, { ticker: 'AAPL' }),
    point(95_000, 2, { ticker: 'GOOG' }),
    point(95_000, 3, { ticker: 'GOOG', source: 'tw' }),
  ]);
  const range = { from: 90_000, to: 100_000 };

  const goog = window.points('mentions', { ticker: 'GOOG' }, range);
  const all = window.points('mentions', {}, range);
  const none = window.points('mentions', { ticker: 'MSFT' }, range);

  assert.deepEqual(
    goog.map((series) => series.values[0]),
    [3, 2],
  );
  assert.equal(all.length, 3);
  assert.equal(none.length, 0);
  assert.deepEqual(
    goog.map((series) => series.values),
    store.queryPoints('mentions', { ticker: 'GOOG' }, range).map((series) => series.values),
  );
});

void test('points across horizon join store and memory', () => {
  const { store, window } = setup();
  store.insertPoints([point(5_000, 1), point(85_000, 2)]);
  ingest(store, window, [point(95_000, 3)]);

  const [series] = window.points('mentions', { ticker: 'AAPL' }, { from: 0, to: 100_000 });

  assert.deepEqual(series!.timestamps, [5_000, 85_000, 95_000]);
  assert.deepEqual(series!.values, [1, 2, 3]);
});

void test('rebuild serves stored points from memory', () => {
  const store = SqliteStore.open({ directory: ':memory:' });
  store.insertPoints([point(80_000, 1), point(92_000, 2), point(99_000, 3)]);
  const window = new WindowState({ store, bucketMs: 1_000, horizonMs: 10_000 });
  window.rebuild(NOW);

  ingest(store, window, [point(99_500, 4)]);
  const [recent] = window.points('mentions', {}, { from: 90_000, to: 100_000 });

  assert.deepEqual(recent!.timestamps, [92_000, 99_000, 99_500]);
  assert.deepEqual(recent!.values, [2, 3, 4]);
});

void test('late point past horizon refreshes cached range', () => {
  const { store, window } = setup();
  store.insertPoints([point(5_000, 1)]);
  const reference = { from: 0, to: 10_000 };
  window.points('mentions', {}, reference);

  ingest(store, window, [point(6_000, 2)]);
  const [series] = window.points('mentions', {}, reference);

  assert.deepEqual(series!.values, [1, 2]);
});
