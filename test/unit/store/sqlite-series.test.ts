import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SqliteStore } from '../../../appliance/store/sqlite-store.ts';

const ALL_TIME = { from: 0, to: Number.MAX_SAFE_INTEGER };

function seeded(): SqliteStore {
  const store = SqliteStore.open({ directory: ':memory:' });
  store.insertPoints([
    { name: 'mentions', labels: { ticker: 'AAPL', source: 'tw' }, value: 3, timestamp: 200 },
    { name: 'mentions', labels: { source: 'tw', ticker: 'AAPL' }, value: 1, timestamp: 100 },
    { name: 'mentions', labels: { ticker: 'GOOG', source: 'tw' }, value: 5, timestamp: 100 },
    { name: 'mentions', labels: { ticker: 'GOOG' }, value: 8, timestamp: 100 },
    { name: 'cpu', labels: { ticker: 'AAPL' }, value: 0.5, timestamp: 100 },
  ]);
  return store;
}

void test('labelsets in any key order are one series', () => {
  const store = seeded();

  const series = store.queryPoints('mentions', { ticker: 'AAPL' }, ALL_TIME);

  assert.equal(series.length, 1);
  assert.deepEqual({ ...series[0]!.labels }, { source: 'tw', ticker: 'AAPL' });
  assert.deepEqual(series[0]!.timestamps, [100, 200]);
  assert.deepEqual(series[0]!.values, [1, 3]);
  store.close();
});

void test('queryPoints matchers select label subsets exactly', () => {
  const store = seeded();
  const tickers = (matchers: Record<string, string>) =>
    store.queryPoints('mentions', matchers, ALL_TIME).map((s) => JSON.stringify(s.labels));

  assert.equal(tickers({}).length, 3);
  assert.deepEqual(tickers({ ticker: 'GOOG' }), [
    '{"source":"tw","ticker":"GOOG"}',
    '{"ticker":"GOOG"}',
  ]);
  assert.deepEqual(tickers({ ticker: 'GOOG', source: 'tw' }), ['{"source":"tw","ticker":"GOOG"}']);
  assert.deepEqual(tickers({ ticker: 'GOO' }), []);
  assert.deepEqual(tickers({ region: 'eu' }), []);
  assert.deepEqual(tickers({ constructor: 'x' }), []);
  store.close();
});

void test('queryPoints omits series without points in range', () => {
  const store = seeded();

  const series = store.queryPoints('mentions', { ticker: 'AAPL' }, { from: 150, to: 300 });

  assert.equal(series.length, 1);
  assert.deepEqual(series[0]!.timestamps, [200]);
  assert.deepEqual(store.queryPoints('mentions', {}, { from: 300, to: 400 }), []);
  store.close();
});

void test('point at same timestamp replaces the earlier one', () => {
  const store = seeded();
  const written = store.insertPoints([
    { name: 'cpu', labels: { ticker: 'AAPL' }, value: 0.9, timestamp: 100 },
  ]);

  const [series] = store.queryPoints('cpu', {}, ALL_TIME);

  assert.equal(written, 1);
  assert.deepEqual(series!.values, [0.9]);
  store.close();
});

void test('NaN and infinite point values round-trip', () => {
  const store = SqliteStore.open({ directory: ':memory:' });
  store.insertPoints([
    { name: 'x', labels: {}, value: Number.NaN, timestamp: 1 },
    { name: 'x', labels: {}, value: Number.POSITIVE_INFINITY, timestamp: 2 },
  ]);

  const [series] = store.queryPoints('x', {}, ALL_TIME);

  assert.deepEqual(series!.values, [Number.NaN, Number.POSITIVE_INFINITY]);
  store.close();
});

void test('results round-trip with NaN values and reason', () => {
  const store = SqliteStore.open({ directory: ':memory:' });
  const result = {
    timestamp: 500,
    rule: 'temp_drift',
    group: 'bikes',
    evaluator: 'ks',
    labels: { feature: 'temp' },
    values: { statistic: 0.4, p_value: Number.NaN, upper: Number.NEGATIVE_INFINITY },
    convention: { method: 'exact', alternative: 'two-sided', exact: true },
    reason: 'reference empty',
  };
  store.writeResults([result, { ...result, timestamp: 100, rule: 'other' }]);

  const stored = store.queryResults('temp_drift', ALL_TIME);

  assert.equal(stored.length, 1);
  assert.deepEqual({ ...stored[0]!.values }, result.values);
  assert.deepEqual({ ...stored[0]!.convention }, result.convention);
  assert.equal(stored[0]!.reason, 'reference empty');
  assert.equal(stored[0]!.group, 'bikes');
  store.close();
});

void test('alert states replace and remove by key', () => {
  const store = SqliteStore.open({ directory: ':memory:' });
  const state = {
    key: 'bikes/mae{}',
    group: 'bikes',
    rule: 'mae',
    state: 'pending' as const,
    labels: { severity: 'page' },
    annotations: { summary: 'MAE high' },
    activeAt: 1000,
    firedAt: 0,
    lastEvaluatedAt: 1000,
    value: Number.NaN,
  };
  store.saveAlertStates([state, { ...state, key: 'other' }], []);
  store.saveAlertStates([{ ...state, state: 'firing', firedAt: 2000 }], ['other']);

  const states = store.loadAlertStates();

  assert.equal(states.length, 1);
  assert.equal(states[0]!.state, 'firing');
  assert.equal(states[0]!.firedAt, 2000);
  assert.ok(Number.isNaN(states[0]!.value));
  assert.equal(states[0]!.labels['severity'], 'page');
  store.close();
});

void test('alert history filters by range and rule', () => {
  const store = SqliteStore.open({ directory: ':memory:' });
  const entry = {
    timestamp: 100,
    key: 'k',
    group: 'g',
    rule: 'mae',
    transition: 'firing' as const,
    labels: {},
    annotations: {},
    value: 2.5,
  };
  store.appendAlertHistory([
    entry,
    { ...entry, timestamp: 200, transition: 'resolved' },
    { ...entry, timestamp: 150, rule: 'psi' },
  ]);

  const all = store.queryAlertHistory({ from: 0, to: 1000 });
  const mae = store.queryAlertHistory({ from: 0, to: 1000 }, 'mae');

  assert.deepEqual(
    all.map((e) => e.timestamp),
    [100, 150, 200],
  );
  assert.deepEqual(
    mae.map((e) => e.transition),
    ['firing', 'resolved'],
  );
  assert.equal(mae[0]!.value, 2.5);
  store.close();
});
