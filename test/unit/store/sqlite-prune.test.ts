import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SqliteStore } from '../../../appliance/store/sqlite-store.ts';
import { makeEvent } from './fixtures.ts';

const ALL_TIME = { from: 0, to: Number.MAX_SAFE_INTEGER };

function seeded(): SqliteStore {
  const store = SqliteStore.open({ directory: ':memory:' });
  const events = [];
  for (let i = 0; i < 12_000; i++) {
    events.push(makeEvent({ id: `e${i}`, stream: i % 2 ? 'a' : 'b', timestamp: i }));
  }
  store.insertEvents(events);
  store.insertPoints([
    { name: 'm', labels: {}, value: 1, timestamp: 10 },
    { name: 'm', labels: {}, value: 2, timestamp: 11_000 },
  ]);
  const result = {
    rule: 'r',
    group: 'g',
    evaluator: 'psi',
    labels: {},
    values: { psi: 0.1 },
    convention: {},
  };
  store.writeResults([
    { ...result, timestamp: 5 },
    { ...result, timestamp: 11_500 },
  ]);
  const entry = {
    key: 'k',
    group: 'g',
    rule: 'r',
    transition: 'firing' as const,
    labels: {},
    annotations: {},
    value: 1,
  };
  store.appendAlertHistory([
    { ...entry, timestamp: 7 },
    { ...entry, timestamp: 11_900 },
  ]);
  return store;
}

void test('prune deletes rows before the cut-off only', () => {
  const store = seeded();

  const deleted = store.prune(11_000);

  assert.equal(deleted, 11_000 + 1 + 1 + 1);
  assert.equal(store.queryEvents('a', ALL_TIME).length, 500);
  assert.equal(store.queryEvents('b', ALL_TIME).length, 500);
  assert.equal(store.queryEvents('a', ALL_TIME)[0]!.timestamp, 11_001);
  assert.deepEqual(store.queryPoints('m', {}, ALL_TIME)[0]!.timestamps, [11_000]);
  assert.deepEqual(
    store.queryResults('r', ALL_TIME).map((r) => r.timestamp),
    [11_500],
  );
  assert.deepEqual(
    store.queryAlertHistory(ALL_TIME).map((e) => e.timestamp),
    [11_900],
  );
  store.close();
});

void test('prune keeps alert states', () => {
  const store = seeded();
  store.saveAlertStates(
    [
      {
        key: 'k',
        group: 'g',
        rule: 'r',
        state: 'firing',
        labels: {},
        annotations: {},
        activeAt: 1,
        firedAt: 2,
        lastEvaluatedAt: 3,
        value: 1,
      },
    ],
    [],
  );

  store.prune(Number.MAX_SAFE_INTEGER);

  assert.equal(store.loadAlertStates().length, 1);
  assert.deepEqual(store.listStreams(), []);
  store.close();
});

void test('prune with a row budget resumes where it stopped', () => {
  const store = seeded();

  const first = store.prune(11_000, 7_000);
  const second = store.prune(11_000, 7_000);
  const third = store.prune(11_000, 7_000);

  assert.equal(first, 7_000);
  assert.equal(second, 11_003 - 7_000);
  assert.equal(third, 0);
  assert.equal(
    store.queryEvents('a', ALL_TIME).length + store.queryEvents('b', ALL_TIME).length,
    1_000,
  );
  store.close();
});
