import { test } from 'node:test';
import assert from 'node:assert/strict';

import type { EachBatchPayload, Kafka } from 'kafkajs';

import type { IngestOutcome, EventsAccepted } from '../../../appliance/ingest/ingestor.ts';
import { Ingestor } from '../../../appliance/ingest/ingestor.ts';
import { silentLogger } from '../../../appliance/log/logger.ts';
import { createMetrics } from '../../../appliance/metrics/metrics.ts';
import { SqliteStore } from '../../../appliance/store/sqlite-store.ts';
import type { IngestSink } from '../../../collectors/collector.ts';
import { createCollectorMetrics } from '../../../collectors/collector-metrics.ts';
import { KafkaCollector, type KafkaCollectorOptions } from '../../../collectors/kafka-collector.ts';
import { identityMapping } from '../../../collectors/mapping.ts';

const ALL_TIME = { from: 0, to: Number.MAX_SAFE_INTEGER };

/** A stand-in for one kafkajs consumer: records calls and lets the test drive the group. */
class FakeConsumer {
  readonly events = { GROUP_JOIN: 'consumer.group_join', CRASH: 'consumer.crash' };
  readonly listeners = new Map<string, (event: unknown) => void>();
  eachBatch: ((payload: EachBatchPayload) => Promise<void>) | undefined;
  connected = false;
  disconnected = false;

  on(name: string, listener: (event: unknown) => void): void {
    this.listeners.set(name, listener);
  }
  async connect(): Promise<void> {
    this.connected = true;
  }
  async subscribe(): Promise<void> {}
  async run(options: { eachBatch: (payload: EachBatchPayload) => Promise<void> }): Promise<void> {
    this.eachBatch = options.eachBatch;
  }
  async disconnect(): Promise<void> {
    this.disconnected = true;
  }

  join(assignment: Record<string, number[]>): void {
    const payload = { memberAssignment: assignment, memberId: 'm1' };
    this.listeners.get(this.events.GROUP_JOIN)!({ payload });
  }
  crash(error: Error): void {
    this.listeners.get(this.events.CRASH)!({ payload: { error, restart: false } });
  }
}

interface Commit {
  topic: string;
  partition: number;
  offset: string;
}

/** Builds a batch payload of messages from offset `first` on; commits go to `commits`. */
function batchPayload(
  partition: number,
  values: (string | null)[],
  commits: Commit[],
  options: { first?: number; highWatermark?: string; stale?: () => boolean } = {},
): EachBatchPayload {
  const first = options.first ?? 0;
  const messages = values.map((value, index) => ({
    offset: String(first + index),
    value: value === null ? null : Buffer.from(value),
  }));
  const batch = {
    topic: 'orders',
    partition,
    highWatermark: options.highWatermark ?? String(first + values.length),
    messages,
    isEmpty: () => messages.length === 0,
    lastOffset: () => messages[messages.length - 1]!.offset,
  };
  const payload = {
    batch,
    resolveOffset: () => {},
    heartbeat: async () => {},
    commitOffsetsIfNecessary: async (offsets: {
      topics: { topic: string; partitions: { partition: number; offset: string }[] }[];
    }) => {
      for (const { topic, partitions } of offsets.topics) {
        for (const { partition: number, offset } of partitions) {
          commits.push({ topic, partition: number, offset });
        }
      }
    },
    isRunning: () => true,
    isStale: options.stale ?? (() => false),
  };
  return payload as unknown as EachBatchPayload;
}

function event(id: string): string {
  return JSON.stringify({ stream: 'orders', id, timestamp: 1_000, prediction: 1 });
}

function setup(ingest?: (real: Ingestor) => IngestSink) {
  const store = SqliteStore.open({ directory: ':memory:' });
  const metrics = createMetrics({ defaultMetrics: false });
  const ingestor = new Ingestor({ store, metrics, logger: silentLogger() });
  const collectorMetrics = createCollectorMetrics(metrics.registry);
  const consumers: FakeConsumer[] = [];
  const options: KafkaCollectorOptions = {
    name: 'orders',
    brokers: ['127.0.0.1:9092'],
    topics: ['orders'],
    groupId: 'vigil',
    clientId: 'vigil-test',
    format: 'json',
    mapping: identityMapping('events'),
    fromBeginning: true,
    batchRecords: 2,
    sessionTimeoutMs: 10_000,
    backoff: { initialMs: 1, maxMs: 1 },
  };
  const fakeKafka = {
    admin: () => ({ connect: async () => {}, disconnect: async () => {} }),
    consumer: () => {
      const consumer = new FakeConsumer();
      consumers.push(consumer);
      return consumer;
    },
  } as unknown as Kafka;
  const collector = new KafkaCollector(
    options,
    {
      ingest: ingest === undefined ? ingestor : ingest(ingestor),
      logger: silentLogger(),
      metrics: collectorMetrics,
    },
    { createKafka: () => fakeKafka, random: () => 0 },
  );
  const storedIds = () =>
    store
      .queryEvents('orders', ALL_TIME)
      .map((stored) => stored.id)
      .sort();
  return { collector, consumers, metrics, storedIds };
}

async function metricValue(
  metrics: ReturnType<typeof createMetrics>,
  name: string,
  labels: Record<string, string>,
): Promise<number | undefined> {
  const metric = await metrics.registry.getSingleMetric(name)?.get();
  const sample = metric?.values.find((value) =>
    Object.entries(labels).every(([key, label]) => String(value.labels[key]) === label),
  );
  return sample?.value;
}

async function settle(): Promise<void> {
  for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));
}

test('kafka batch commits after the store', async () => {
  const order: string[] = [];
  const { collector, consumers, metrics, storedIds } = setup((real) => ({
    submitEvents: async (rows, preRejected) => {
      const outcome = await real.submitEvents(rows, preRejected);
      order.push(`stored ${rows.length}`);
      return outcome;
    },
    submitPoints: (rows, preRejected) => real.submitPoints(rows, preRejected),
  }));
  await collector.start();
  await settle();
  const consumer = consumers[0]!;
  consumer.join({ orders: [0] });

  const commits: Commit[] = [];
  const payload = batchPayload(0, [event('a'), event('b'), event('c')], commits, {
    highWatermark: '5',
  });
  const commit = payload.commitOffsetsIfNecessary.bind(payload);
  payload.commitOffsetsIfNecessary = async (offsets) => {
    order.push('commit');
    await commit(offsets);
  };
  await consumer.eachBatch!(payload);

  assert.deepEqual(order, ['stored 2', 'commit', 'stored 1', 'commit']);
  assert.deepEqual(commits, [
    { topic: 'orders', partition: 0, offset: '2' },
    { topic: 'orders', partition: 0, offset: '3' },
  ]);
  assert.deepEqual(storedIds(), ['a', 'b', 'c']);
  const lag = await metricValue(metrics, 'vigil_collector_partition_lag_records', {
    topic: 'orders',
    partition: '0',
  });
  assert.equal(lag, 2);
  assert.equal(collector.health().state, 'running');
  assert.notEqual(collector.health().lastSuccessMs, null);
  await collector.stop();
});

test('bad kafka message rejected with its offset', async () => {
  const { collector, consumers, metrics, storedIds } = setup();
  await collector.start();
  await settle();
  const consumer = consumers[0]!;
  consumer.join({ orders: [3] });

  const commits: Commit[] = [];
  const values = [event('a'), 'not json', JSON.stringify({ stream: 'orders' }), event('d')];
  await consumer.eachBatch!(batchPayload(3, values, commits, { first: 40 }));

  assert.deepEqual(storedIds(), ['a', 'd']);
  const rejected = collector.rejections();
  assert.equal(rejected.length, 2);
  assert.deepEqual(
    rejected.map((item) => [item.topic, item.partition, item.offset, item.code]),
    [
      ['orders', 3, '41', 'invalid_row'],
      ['orders', 3, '42', 'missing_field'],
    ],
  );
  assert.match(rejected[0]!.reason, /not valid JSON/);
  assert.deepEqual(commits.at(-1), { topic: 'orders', partition: 3, offset: '44' });
  const count = await metricValue(metrics, 'vigil_collector_records_rejected_total', {
    reason: 'invalid_row',
  });
  assert.equal(count, 1);
  await collector.stop();
});

test('lost partition gets no commit', async () => {
  const { collector, consumers, storedIds } = setup((real) => ({
    submitEvents: async (rows, preRejected) => {
      // A rebalance moves the partition to another member while the rows are stored.
      consumers[0]!.join({ orders: [1] });
      return real.submitEvents(rows, preRejected);
    },
    submitPoints: (rows, preRejected) => real.submitPoints(rows, preRejected),
  }));
  await collector.start();
  await settle();
  const consumer = consumers[0]!;
  consumer.join({ orders: [0, 1] });

  const commits: Commit[] = [];
  await consumer.eachBatch!(batchPayload(0, [event('a')], commits));

  assert.deepEqual(storedIds(), ['a']);
  assert.deepEqual(commits, []);
  await collector.stop();
});

test('stale batch is neither stored nor committed', async () => {
  const { collector, consumers, storedIds } = setup();
  await collector.start();
  await settle();
  const consumer = consumers[0]!;
  consumer.join({ orders: [0] });

  const commits: Commit[] = [];
  await consumer.eachBatch!(batchPayload(0, [event('a')], commits, { stale: () => true }));

  assert.deepEqual(storedIds(), []);
  assert.deepEqual(commits, []);
  await collector.stop();
});

test('store outage retried before the commit', async () => {
  let failures = 2;
  const { collector, consumers, metrics, storedIds } = setup((real) => ({
    submitEvents: async (rows, preRejected): Promise<IngestOutcome<EventsAccepted>> => {
      if (failures > 0) {
        failures -= 1;
        return { status: 'store_failed', reason: 'disk full' } as IngestOutcome<EventsAccepted>;
      }
      return real.submitEvents(rows, preRejected);
    },
    submitPoints: (rows, preRejected) => real.submitPoints(rows, preRejected),
  }));
  await collector.start();
  await settle();
  const consumer = consumers[0]!;
  consumer.join({ orders: [0] });

  const commits: Commit[] = [];
  await consumer.eachBatch!(batchPayload(0, [event('a')], commits));

  assert.deepEqual(storedIds(), ['a']);
  assert.deepEqual(commits, [{ topic: 'orders', partition: 0, offset: '1' }]);
  const counted = await metricValue(metrics, 'vigil_collector_failures_total', {
    collector: 'orders',
  });
  assert.equal(counted, 2);
  assert.equal(collector.health().consecutiveFailures, 0);
  assert.equal(collector.health().lastError, null);
  await collector.stop();
});

test('crashed consumer is replaced after backoff', async () => {
  const { collector, consumers, metrics } = setup();
  await collector.start();
  await settle();
  consumers[0]!.join({ orders: [0] });
  await consumers[0]!.eachBatch!(batchPayload(0, [event('a')], []));

  consumers[0]!.crash(new Error('connection refused'));
  await settle();
  assert.equal(collector.health().state, 'backoff');
  assert.equal(collector.health().lastError, 'connection refused');
  assert.equal(consumers[0]!.disconnected, true);
  const lag = await metricValue(metrics, 'vigil_collector_partition_lag_records', {
    partition: '0',
  });
  assert.equal(lag, undefined);

  for (let turn = 0; turn < 100 && consumers[1]?.connected !== true; turn++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  assert.equal(consumers.length, 2);
  assert.equal(consumers[1]!.connected, true);
  consumers[1]!.join({ orders: [0] });
  assert.equal(collector.health().state, 'running');
  assert.equal(collector.health().lastError, null);
  assert.equal(collector.health().consecutiveFailures, 1);

  await collector.stop();
  assert.equal(consumers[1]!.disconnected, true);
  assert.equal(collector.health().state, 'stopped');
});

test('message above the batch limit is rejected, not retried', async () => {
  // Simulates ingest.max_batch_records = 3: one message of 5 records cannot be split by
  // message, so a retry would stall the partition forever.
  const { collector, consumers, storedIds } = setup((real) => ({
    submitEvents: async (rows, preRejected) =>
      rows.length > 3
        ? { status: 'too_many_records', records: rows.length, limit: 3 }
        : real.submitEvents(rows, preRejected),
    submitPoints: (rows, preRejected) => real.submitPoints(rows, preRejected),
  }));
  await collector.start();
  await settle();
  const consumer = consumers[0]!;
  consumer.join({ orders: [0] });

  const commits: Commit[] = [];
  const large = `[${['x1', 'x2', 'x3', 'x4', 'x5'].map(event).join(',')}]`;
  await consumer.eachBatch!(batchPayload(0, [event('a'), large, event('b')], commits));

  assert.deepEqual(storedIds(), ['a', 'b']);
  const rejected = collector.rejections();
  assert.equal(rejected.length, 5);
  assert.deepEqual(
    rejected.map((item) => item.offset),
    ['1:0', '1:1', '1:2', '1:3', '1:4'],
  );
  assert.match(
    rejected[0]!.reason,
    /offset 1 contains 5 records, above ingest.max_batch_records \(3\)/,
  );
  assert.deepEqual(commits.at(-1), { topic: 'orders', partition: 0, offset: '3' });
  assert.equal(collector.health().state, 'running');
  await collector.stop();
});
