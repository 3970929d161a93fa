import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SqliteStore } from '../../../appliance/store/sqlite-store.ts';
import { features, makeEvent } from './fixtures.ts';

const ALL_TIME = { from: 0, to: Number.MAX_SAFE_INTEGER };

function openMemory(): SqliteStore {
  return SqliteStore.open({ directory: ':memory:' });
}

void test('event round-trips every field', () => {
  const store = openMemory();
  const event = makeEvent({
    id: 'a1',
    features: features({ temp: 0.25, season: 'winter', holiday: true, wind: null }),
    prediction: 'spam',
    actual: 3,
    latencyMs: null,
    error: true,
  });

  store.insertEvents([event]);
  const [stored] = store.queryEvents('bikes', ALL_TIME);

  assert.deepEqual(stored, event);
  assert.equal(stored!.latencyMs, null);
  assert.equal(stored!.error, true);
  store.close();
});

void test('feature named __proto__ stays an ordinary key', () => {
  const store = openMemory();
  const poisoned = features({ x: 1 });
  poisoned['__proto__'] = 'admin';
  store.insertEvents([makeEvent({ id: 'p', features: poisoned })]);

  const stored = store.queryEvents('bikes', ALL_TIME)[0]!.features;

  assert.equal(Object.getPrototypeOf(stored), null);
  assert.deepEqual(Object.keys(stored), ['x', '__proto__']);
  assert.equal(stored['__proto__'], 'admin');
  assert.equal(({} as Record<string, unknown>)['x'], undefined);
  store.close();
});

void test('prediction and actual keep number or string type', () => {
  const store = openMemory();
  const cases: [number | string | null, number | string | null][] = [
    ['1', 1],
    [1, '1'],
    [0.5, 'yes'],
    [null, null],
    [-0.000123, '007'],
  ];
  store.insertEvents(
    cases.map(([prediction, actual], i) =>
      makeEvent({ id: `t${i}`, timestamp: 1000 + i, prediction, actual }),
    ),
  );

  const stored = store.queryEvents('bikes', ALL_TIME);

  for (const [i, [prediction, actual]] of cases.entries()) {
    assert.equal(stored[i]!.prediction, prediction, `prediction of case ${i}`);
    assert.equal(stored[i]!.actual, actual, `actual of case ${i}`);
  }
  store.close();
});

void test('duplicates within one call are reported by index', () => {
  const store = openMemory();
  const result = store.insertEvents([
    makeEvent({ id: 'a' }),
    makeEvent({ id: 'b' }),
    makeEvent({ id: 'a', prediction: 999 }),
    makeEvent({ id: 'a', stream: 'other' }),
  ]);

  assert.deepEqual(result, { inserted: 3, duplicates: 1, duplicateIndexes: [2] });
  assert.equal(store.queryEvents('bikes', ALL_TIME).find((e) => e.id === 'a')!.prediction, 120);
  store.close();
});

void test('duplicates across calls are reported by index', () => {
  const store = openMemory();
  store.insertEvents([makeEvent({ id: 'a' }), makeEvent({ id: 'b' })]);

  const result = store.insertEvents([makeEvent({ id: 'c' }), makeEvent({ id: 'b' })]);

  assert.deepEqual(result, { inserted: 1, duplicates: 1, duplicateIndexes: [1] });
  assert.equal(store.queryEvents('bikes', ALL_TIME).length, 3);
  store.close();
});

void test('queryEvents returns timestamp order within the range', () => {
  const store = openMemory();
  store.insertEvents([
    makeEvent({ id: 'late', timestamp: 300 }),
    makeEvent({ id: 'early', timestamp: 100 }),
    makeEvent({ id: 'edge', timestamp: 400 }),
    makeEvent({ id: 'tie', timestamp: 100 }),
    makeEvent({ id: 'mid', timestamp: 200, stream: 'other' }),
  ]);

  const ids = store.queryEvents('bikes', { from: 100, to: 400 }).map((e) => e.id);

  assert.deepEqual(ids, ['early', 'tie', 'late']);
  store.close();
});

void test('listStreams returns every stream once', () => {
  const store = openMemory();
  assert.deepEqual(store.listStreams(), []);
  store.insertEvents([
    makeEvent({ id: '1', stream: 'b' }),
    makeEvent({ id: '2', stream: 'a' }),
    makeEvent({ id: '3', stream: 'b' }),
  ]);

  assert.deepEqual(store.listStreams(), ['a', 'b']);
  store.close();
});

void test('actuals join stored events by stream and id', () => {
  const store = openMemory();
  store.insertEvents([makeEvent({ id: 'a' }), makeEvent({ id: 'b', stream: 'other' })]);

  const result = store.applyActuals([
    { stream: 'bikes', id: 'a', actual: 'spam' },
    { stream: 'bikes', id: 'b', actual: 1 },
    { stream: 'other', id: 'b', actual: 7 },
  ]);

  assert.deepEqual(result, { updated: 2, notFoundIndexes: [1] });
  assert.equal(store.queryEvents('bikes', ALL_TIME)[0]!.actual, 'spam');
  assert.equal(store.queryEvents('other', ALL_TIME)[0]!.actual, 7);
  store.close();
});
