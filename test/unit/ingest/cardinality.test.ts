import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Ingestor } from '../../../appliance/ingest/ingestor.ts';
import { silentLogger } from '../../../appliance/log/logger.ts';
import { createMetrics, type VigilMetrics } from '../../../appliance/metrics/metrics.ts';
import { SqliteStore } from '../../../appliance/store/sqlite-store.ts';
import { CardinalityGuard } from '../../../appliance/ingest/cardinality.ts';
import type { Rejection } from '../../../appliance/ingest/rejection.ts';

const ALL_TIME = { from: 0, to: Number.MAX_SAFE_INTEGER };

async function rejectedCount(metrics: VigilMetrics, kind: string): Promise<number> {
  const metric = metrics.registry.getSingleMetric('vigil_cardinality_rejected_total');
  const values = (await metric!.get()).values;
  return values.find((value) => value.labels.kind === kind)?.value ?? 0;
}

test('label values past the limit are rejected and counted', async () => {
  const store = SqliteStore.open({ directory: ':memory:' });
  const metrics = createMetrics({ defaultMetrics: false });
  const limit = 1_000;
  const ingestor = new Ingestor({
    store,
    metrics,
    logger: silentLogger(),
    limits: { maxBatchRecords: 10_000 },
    cardinality: { maxLabelValuesPerLabel: limit, maxSeriesPerMetric: 200_000 },
  });
  const total = 100_000;
  let stored = 0;
  let rejected = 0;
  for (let start = 0; start < total; start += 10_000) {
    const batch = Array.from({ length: 10_000 }, (_, offset) => ({
      name: 'requests',
      labels: { user: `u${start + offset}` },
      value: 1,
      timestamp: start + offset,
    }));
    const outcome = await ingestor.submitPoints(batch);
    if (outcome.status === 'committed') {
      stored += outcome.result.stored;
      rejected += outcome.result.rejected.length;
    } else if (outcome.status === 'invalid') {
      rejected += outcome.rejected.length;
    }
  }

  assert.equal(stored, limit);
  assert.equal(rejected, total - limit);
  assert.equal(await rejectedCount(metrics, 'label_values'), total - limit);
  assert.equal(store.queryPoints('requests', {}, ALL_TIME).length, limit);

  const existing = await ingestor.submitPoints([
    { name: 'requests', labels: { user: 'u0' }, value: 2, timestamp: 200_000 },
  ]);
  assert.equal(existing.status, 'committed');
  store.close();
});

test('rejection names the field and the fix', () => {
  const guard = new CardinalityGuard(createMetrics({ defaultMetrics: false }).registry, {
    maxSeriesPerMetric: 1,
  });
  const out: Rejection[] = [];
  const first = { name: 'm', labels: { a: '1' }, value: 1, timestamp: 0 };
  const second = { name: 'm', labels: { a: '2' }, value: 1, timestamp: 0 };

  assert.equal(guard.admitPoint(first, 0, out), true);
  assert.equal(guard.admitPoint(second, 1, out), false);
  assert.equal(guard.admitPoint(first, 2, out), true);
  assert.equal(out.length, 1);
  assert.equal(out[0]!.index, 1);
  assert.equal(out[0]!.code, 'cardinality_limit');
  assert.equal(out[0]!.field, 'labels');
  assert.match(out[0]!.reason, /raise cardinality\.max_series_per_metric/);
});

test('streams and categories have limits', async () => {
  const metrics = createMetrics({ defaultMetrics: false });
  const guard = new CardinalityGuard(metrics.registry, {
    maxStreams: 1,
    maxCategoriesPerFeature: 2,
  });
  const event = (stream: string, color: string) => ({
    stream,
    version: '',
    id: 'e',
    timestamp: 0,
    features: { color },
    prediction: 1,
    actual: null,
    latencyMs: null,
    error: false,
  });
  const out: Rejection[] = [];
  const admitted = [
    guard.admitEvent(event('bikes', 'red'), 0, out),
    guard.admitEvent(event('cars', 'red'), 1, out),
    guard.admitEvent(event('bikes', 'blue'), 2, out),
    guard.admitEvent(event('bikes', 'green'), 3, out),
    guard.admitEvent(event('bikes', 'red'), 4, out),
  ];

  assert.deepEqual(admitted, [true, false, true, false, true]);
  assert.deepEqual(
    out.map((rejection) => rejection.field),
    ['stream', 'features.color'],
  );
  assert.equal(await rejectedCount(metrics, 'streams'), 1);
  assert.equal(await rejectedCount(metrics, 'categories'), 1);
});

test('non-positive cardinality limit is rejected', () => {
  const registry = createMetrics({ defaultMetrics: false }).registry;
  assert.throws(() => new CardinalityGuard(registry, { maxStreams: 0 }), /maxStreams is 0/);
});
