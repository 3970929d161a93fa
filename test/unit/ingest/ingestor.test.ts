import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ActualUpdate, PredictionEvent, SeriesPoint } from '../../../appliance/core/types.ts';
import { Ingestor, type CommittedRecords } from '../../../appliance/ingest/ingestor.ts';
import { silentLogger } from '../../../appliance/log/logger.ts';
import { createMetrics } from '../../../appliance/metrics/metrics.ts';
import { SqliteStore } from '../../../appliance/store/sqlite-store.ts';
import type { Store } from '../../../appliance/store/store.ts';

const ALL_TIME = { from: 0, to: Number.MAX_SAFE_INTEGER };

function event(id: string, extra: Record<string, unknown> = {}) {
  return { stream: 'm', id, timestamp: 1000, prediction: 1, features: { x: 1 }, ...extra };
}

function setup(store: Store = SqliteStore.open({ directory: ':memory:' })) {
  const windowEvents: PredictionEvent[] = [];
  const windowActuals: ActualUpdate[] = [];
  const windowPoints: SeriesPoint[] = [];
  const window = {
    addEvents: (events: readonly PredictionEvent[]) => windowEvents.push(...events),
    applyActuals: (updates: readonly ActualUpdate[]) => windowActuals.push(...updates),
    addPoints: (points: readonly SeriesPoint[]) => windowPoints.push(...points),
  };
  const metrics = createMetrics({ defaultMetrics: false });
  const ingestor = new Ingestor({ store, window, metrics, logger: silentLogger() });
  return { store, ingestor, metrics, windowEvents, windowActuals, windowPoints };
}

void test('committed events reach window state without duplicates', async () => {
  const { ingestor, windowEvents } = setup();
  const notified: CommittedRecords[] = [];
  ingestor.onCommitted((records) => notified.push(records));

  const outcome = await ingestor.submitEvents([event('a'), event('b'), event('a')]);

  assert.equal(outcome.status, 'committed');
  assert.deepEqual(
    windowEvents.map((e) => e.id),
    ['a', 'b'],
  );
  assert.equal(notified.length, 1);
  assert.deepEqual(
    notified[0]!.events.map((e) => e.id),
    ['a', 'b'],
  );
});

void test('concurrent batches share a commit and keep their own indexes', async () => {
  const { ingestor, store, metrics } = setup();
  const [first, second] = await Promise.all([
    ingestor.submitEvents([event('a'), event('b')]),
    ingestor.submitEvents([event('c'), event('a')]),
  ]);

  assert.equal(first.status, 'committed');
  assert.equal(second.status, 'committed');
  if (first.status !== 'committed' || second.status !== 'committed') return;
  assert.deepEqual(first.result.duplicateIndexes, []);
  assert.deepEqual(second.result.duplicateIndexes, [1]);
  assert.equal(store.queryEvents('m', ALL_TIME).length, 3);
  const commits = await metrics.registry.getSingleMetricAsString(
    'vigil_ingest_commit_duration_seconds',
  );
  assert.match(commits, /vigil_ingest_commit_duration_seconds_count 1/);
});

void test('store failure acknowledges nothing', async () => {
  const store = SqliteStore.open({ directory: ':memory:' });
  const failing = Object.assign(Object.create(store) as Store, {
    insertEvents: () => {
      throw new Error('database or disk is full');
    },
  });
  const { ingestor, windowEvents } = setup(failing);

  const outcome = await ingestor.submitEvents([event('a')]);

  assert.deepEqual(outcome, { status: 'store_failed', reason: 'database or disk is full' });
  assert.deepEqual(windowEvents, []);
  assert.equal(ingestor.queueDepth, 0);
});

void test('rejections are counted once per row by reason', async () => {
  const { ingestor, metrics } = setup();
  await ingestor.submitEvents([
    event('a'),
    event('b', { timestamp: 'x', latency_ms: 'fast' }),
    'junk',
  ]);

  const text = await metrics.registry.getSingleMetricAsString('vigil_events_rejected_total');
  assert.match(text, /reason="invalid_timestamp"\} 1/);
  assert.match(text, /reason="invalid_row"\} 1/);
  assert.doesNotMatch(text, /invalid_latency/);
});

void test('batch over maxBatchRecords is refused whole', async () => {
  const store = SqliteStore.open({ directory: ':memory:' });
  const ingestor = new Ingestor({
    store,
    metrics: createMetrics({ defaultMetrics: false }),
    logger: silentLogger(),
    limits: { maxBatchRecords: 2 },
  });

  const outcome = await ingestor.submitEvents([event('a'), event('b'), event('c')]);

  assert.deepEqual(outcome, { status: 'too_many_records', records: 3, limit: 2 });
  assert.deepEqual(store.listStreams(), []);
});

void test('actuals join stored events and report unknown ids', async () => {
  const { ingestor, store, windowActuals } = setup();
  await ingestor.submitEvents([event('a')]);

  const outcome = await ingestor.submitActuals([
    { stream: 'm', id: 'a', actual: 3 },
    { stream: 'm', id: 'zz', actual: 4 },
  ]);

  assert.equal(outcome.status, 'committed');
  if (outcome.status !== 'committed') return;
  assert.equal(outcome.result.updated, 1);
  assert.deepEqual(outcome.result.notFoundIndexes, [1]);
  assert.equal(store.queryEvents('m', ALL_TIME)[0]!.actual, 3);
  assert.deepEqual(
    windowActuals.map((u) => u.id),
    ['a'],
  );
});

void test('points are stored and passed to window state', async () => {
  const { ingestor, store, windowPoints } = setup();
  const outcome = await ingestor.submitPoints([
    { name: 'tweets', labels: { ticker: 'AAPL' }, value: 5, timestamp: 60_000 },
    { name: 'tweets', labels: { ticker: 'AAPL' }, value: 'x', timestamp: 0 },
  ]);

  assert.equal(outcome.status, 'committed');
  if (outcome.status !== 'committed') return;
  assert.equal(outcome.result.stored, 1);
  assert.equal(outcome.result.rejected[0]!.field, 'value');
  assert.equal(windowPoints.length, 1);
  const series = store.queryPoints('tweets', { ticker: 'AAPL' }, ALL_TIME);
  assert.deepEqual(series[0]!.values, [5]);
});
