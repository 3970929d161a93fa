import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PredictionEvent, TimeRange } from '../../../appliance/core/types.ts';
import { SqliteStore } from '../../../appliance/store/sqlite-store.ts';
import { WindowState } from '../../../appliance/window/window-state.ts';
import { makeEvent } from '../store/fixtures.ts';

type CountingStore = SqliteStore & { eventReads: number };

/** A SQLite store in memory that counts the event range reads the window sends it. */
function countingStore(): CountingStore {
  const store = Object.assign(SqliteStore.open({ directory: ':memory:' }), { eventReads: 0 });
  const queryEvents = store.queryEvents.bind(store);
  store.queryEvents = (stream: string, range: TimeRange): PredictionEvent[] => {
    store.eventReads++;
    return queryEvents(stream, range);
  };
  return store;
}

const NOW = 100_000;

/** A window of 1 s buckets and a 10 s horizon, rebuilt at NOW, so memory starts at 90 s. */
function setup() {
  const store = countingStore();
  const window = new WindowState({ store, bucketMs: 1_000, horizonMs: 10_000 });
  window.rebuild(NOW);
  return { store, window };
}

/** Stores the events, then hands them to the window, as ingest does. */
function ingest(store: SqliteStore, window: WindowState, events: PredictionEvent[]): void {
  store.insertEvents(events);
  window.addEvents(events);
}

function ids(events: readonly PredictionEvent[]): string[] {
  return events.map((event) => event.id);
}

void test('window cuts buckets at range edges', () => {
  const { store, window } = setup();
  const times = [90_999, 91_000, 91_999, 92_000, 92_500];
  ingest(
    store,
    window,
    times.map((timestamp) => makeEvent({ id: String(timestamp), timestamp })),
  );
  store.eventReads = 0;

  assert.deepEqual(ids(window.events('bikes', { from: 91_000, to: 92_000 })), ['91000', '91999']);
  assert.deepEqual(ids(window.events('bikes', { from: 90_999, to: 92_001 })), [
    '90999',
    '91000',
    '91999',
    '92000',
  ]);
  assert.deepEqual(ids(window.events('bikes', { from: 91_500, to: 92_500 })), ['91999', '92000']);
  assert.deepEqual(ids(window.events('bikes', { from: 92_000, to: 92_000 })), []);
  assert.deepEqual(ids(window.events('other', { from: 90_000, to: 99_000 })), []);
  assert.equal(store.eventReads, 0);
});

void test('late events come out sorted', () => {
  const { store, window } = setup();
  ingest(store, window, [
    makeEvent({ id: 'c', timestamp: 95_500 }),
    makeEvent({ id: 'a', timestamp: 95_200 }),
    makeEvent({ id: 'd', timestamp: 95_800 }),
    makeEvent({ id: 'b', timestamp: 95_200 }),
    makeEvent({ id: 'early', timestamp: 94_100 }),
  ]);

  assert.deepEqual(ids(window.events('bikes', { from: 90_000, to: 100_000 })), [
    'early',
    'a',
    'b',
    'c',
    'd',
  ]);
  assert.deepEqual(ids(window.events('bikes', { from: 95_200, to: 95_600 })), ['a', 'b', 'c']);
});

void test('window ignores a repeated event id', () => {
  const { window } = setup();
  window.addEvents([makeEvent({ id: 'a', timestamp: 95_000 })]);
  window.addEvents([makeEvent({ id: 'a', timestamp: 96_000, prediction: 7 })]);

  const events = window.events('bikes', { from: 90_000, to: 100_000 });

  assert.equal(events.length, 1);
  assert.equal(events[0]!.prediction, 120);
});

void test('actuals join events in memory', () => {
  const { store, window } = setup();
  ingest(store, window, [makeEvent({ id: 'a', timestamp: 95_000 })]);

  window.applyActuals([{ stream: 'bikes', id: 'a', actual: 'spam' }]);

  assert.equal(window.events('bikes', { from: 90_000, to: 100_000 })[0]!.actual, 'spam');
});

void test('range older than horizon is read from store once', () => {
  const { store, window } = setup();
  store.insertEvents([makeEvent({ id: 'ref1', timestamp: 5_000 })]);
  const reference = { from: 0, to: 10_000 };

  const first = window.events('bikes', reference);
  const second = window.events('bikes', reference);

  assert.deepEqual(ids(first), ['ref1']);
  assert.deepEqual(ids(second), ['ref1']);
  assert.equal(store.eventReads, 1);
});

void test('late event past horizon refreshes cached range', () => {
  const { store, window } = setup();
  store.insertEvents([makeEvent({ id: 'ref1', timestamp: 5_000 })]);
  const reference = { from: 0, to: 10_000 };
  window.events('bikes', reference);

  ingest(store, window, [makeEvent({ id: 'ref2', timestamp: 4_000 })]);
  const after = window.events('bikes', reference);

  assert.deepEqual(ids(after), ['ref2', 'ref1']);
  assert.equal(window.events('bikes', { from: 90_000, to: 100_000 }).length, 0);
});

void test('late actual past horizon refreshes cached range', () => {
  const { store, window } = setup();
  store.insertEvents([makeEvent({ id: 'ref1', timestamp: 5_000 })]);
  const reference = { from: 0, to: 10_000 };
  window.events('bikes', reference);

  store.applyActuals([{ stream: 'bikes', id: 'ref1', actual: 3 }]);
  window.applyActuals([{ stream: 'bikes', id: 'ref1', actual: 3 }]);

  assert.equal(window.events('bikes', reference)[0]!.actual, 3);
});

void test('range across horizon joins store and memory', () => {
  const { store, window } = setup();
  store.insertEvents([
    makeEvent({ id: 'old', timestamp: 85_000 }),
    makeEvent({ id: 'older', timestamp: 80_000 }),
  ]);
  ingest(store, window, [makeEvent({ id: 'new', timestamp: 95_000 })]);

  const events = window.events('bikes', { from: 80_000, to: 100_000 });

  assert.deepEqual(ids(events), ['older', 'old', 'new']);
});

void test('rebuild loads the horizon from the store', () => {
  const store = countingStore();
  store.insertEvents([
    makeEvent({ id: 'before', timestamp: 50_000 }),
    makeEvent({ id: 'edge', timestamp: 90_000 }),
    makeEvent({ id: 'recent', timestamp: 99_000 }),
    makeEvent({ id: 'other', stream: 'tweets', timestamp: 95_000 }),
  ]);
  const window = new WindowState({ store, bucketMs: 1_000, horizonMs: 10_000 });

  window.rebuild(NOW);
  store.eventReads = 0;

  assert.deepEqual(ids(window.events('bikes', { from: 90_000, to: 200_000 })), ['edge', 'recent']);
  assert.deepEqual(ids(window.events('tweets', { from: 90_000, to: 200_000 })), ['other']);
  assert.equal(store.eventReads, 0);
  assert.deepEqual(ids(window.events('bikes', { from: 0, to: 200_000 })), [
    'before',
    'edge',
    'recent',
  ]);
  assert.equal(store.eventReads, 1);
});

void test('reads before rebuild go to the store', () => {
  const store = countingStore();
  const window = new WindowState({ store, bucketMs: 1_000, horizonMs: 10_000 });
  ingest(store, window, [makeEvent({ id: 'a', timestamp: 95_000 })]);

  assert.deepEqual(ids(window.events('bikes', { from: 90_000, to: 100_000 })), ['a']);
  assert.equal(store.eventReads, 1);
});

void test('prune moves old buckets to the store', () => {
  const { store, window } = setup();
  ingest(store, window, [
    makeEvent({ id: 'a', timestamp: 95_000 }),
    makeEvent({ id: 'b', timestamp: 101_500 }),
  ]);

  window.prune(111_000);
  store.eventReads = 0;

  assert.deepEqual(ids(window.events('bikes', { from: 101_000, to: 102_000 })), ['b']);
  assert.equal(store.eventReads, 0);
  assert.deepEqual(ids(window.events('bikes', { from: 90_000, to: 102_000 })), ['a', 'b']);
  assert.equal(store.eventReads, 1);
});

void test('window rejects invalid bucket options', () => {
  const store = countingStore();

  assert.throws(
    () => new WindowState({ store, bucketMs: 0, horizonMs: 1_000 }),
    /bucketMs must be a positive integer/,
  );
  assert.throws(
    () => new WindowState({ store, bucketMs: 1.5, horizonMs: 1_000 }),
    /bucketMs must be a positive integer/,
  );
  assert.throws(
    () => new WindowState({ store, bucketMs: 2_000, horizonMs: 1_000 }),
    /horizonMs must be at least bucketMs/,
  );
});
