import { test } from 'node:test';
import assert from 'node:assert/strict';

import type { Admin } from 'kafkajs';

import { silentLogger } from '../../../appliance/log/logger.ts';
import { createMetrics } from '../../../appliance/metrics/metrics.ts';
import { createCollectorMetrics } from '../../../collectors/collector-metrics.ts';
import { LagMonitor } from '../../../collectors/kafka-lag.ts';

function fakeAdmin(fail: { next: boolean }): Admin {
  return {
    connect: async () => {},
    disconnect: async () => {},
    fetchOffsets: async () => {
      if (fail.next) throw new Error('broker down');
      return [
        {
          topic: 'orders',
          partitions: [
            { partition: 0, offset: '40', metadata: null },
            { partition: 1, offset: '-1', metadata: null },
            { partition: 2, offset: '5', metadata: null },
          ],
        },
      ];
    },
    fetchTopicOffsets: async () => [
      { partition: 0, offset: '100', high: '100', low: '0' },
      { partition: 1, offset: '30', high: '30', low: '10' },
      { partition: 2, offset: '9', high: '9', low: '0' },
    ],
  } as unknown as Admin;
}

async function lagSamples(metrics: ReturnType<typeof createMetrics>) {
  const metric = await metrics.registry
    .getSingleMetric('vigil_collector_partition_lag_records')!
    .get();
  return new Map(metric.values.map((value) => [String(value.labels.partition), value.value]));
}

test('lag monitor sets owned partitions only', async () => {
  const metrics = createMetrics({ defaultMetrics: false });
  const fail = { next: false };
  const monitor = new LagMonitor({
    collector: 'orders',
    groupId: 'vigil',
    intervalMs: 60_000,
    owned: () => [
      { topic: 'orders', partition: 0 },
      { topic: 'orders', partition: 1 },
    ],
    admin: fakeAdmin(fail),
    metrics: createCollectorMetrics(metrics.registry),
    logger: silentLogger(),
  });

  await monitor.refresh();
  const lags = await lagSamples(metrics);

  assert.equal(lags.get('0'), 60);
  assert.equal(lags.get('1'), 20, 'no committed offset counts from the low watermark');
  assert.equal(lags.has('2'), false);
  await monitor.stop();
});

test('lag monitor survives a failed read', async () => {
  const metrics = createMetrics({ defaultMetrics: false });
  const fail = { next: true };
  const monitor = new LagMonitor({
    collector: 'orders',
    groupId: 'vigil',
    intervalMs: 60_000,
    owned: () => [{ topic: 'orders', partition: 0 }],
    admin: fakeAdmin(fail),
    metrics: createCollectorMetrics(metrics.registry),
    logger: silentLogger(),
  });

  await monitor.refresh();
  assert.equal((await lagSamples(metrics)).size, 0);

  fail.next = false;
  await monitor.refresh();
  assert.equal((await lagSamples(metrics)).get('0'), 60);
  await monitor.stop();
});
