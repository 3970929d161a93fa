import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { Ingestor } from '../../appliance/ingest/ingestor.ts';
import { silentLogger } from '../../appliance/log/logger.ts';
import { createMetrics } from '../../appliance/metrics/metrics.ts';
import { SqliteStore } from '../../appliance/store/sqlite-store.ts';
import { createCollectorMetrics } from '../../collectors/collector-metrics.ts';
import { KafkaCollector } from '../../collectors/kafka-collector.ts';
import { identityMapping } from '../../collectors/mapping.ts';
import {
  committedTotal,
  connectedProducer,
  createTopic,
  KAFKA_BROKERS,
  partitionLags,
  skipUnlessKafka,
  testKafka,
} from './kafka-helpers.ts';
import { eventually, REPOSITORY, VIGIL_BIN, waitForLog } from './process-helpers.ts';

// The Kafka collector against a real broker: bad messages rejected with their coordinates,
// and `vigil serve` SIGKILLed while it consumes 100,000 messages, then restarted.

const skip = skipUnlessKafka();
const ALL_TIME = { from: 0, to: Number.MAX_SAFE_INTEGER };
const TOTAL = 100_000;
const PARTITIONS = 3;

function event(id: string, timestamp: number): string {
  return JSON.stringify({ stream: 'kafka', id, timestamp, features: { x: 1 }, prediction: 1 });
}

test('kafka messages land and a bad one is rejected', { skip }, async () => {
  const topic = `vigil-land-${Date.now()}`;
  const kafka = testKafka();
  const admin = kafka.admin();
  await admin.connect();
  await createTopic(admin, topic, 2);
  const producer = await connectedProducer(kafka);
  const now = Date.now();
  await producer.send({
    topic,
    messages: [
      { partition: 0, value: event('a', now) },
      { partition: 0, value: '{"stream": "kafka", "id": ' },
      { partition: 0, value: event('c', now) },
      { partition: 1, value: event('d', now) },
      { partition: 1, value: JSON.stringify({ stream: 'kafka', id: 'e' }) },
    ],
  });

  const store = SqliteStore.open({ directory: ':memory:' });
  const metrics = createMetrics({ defaultMetrics: false });
  const ingest = new Ingestor({ store, metrics, logger: silentLogger() });
  const groupId = `${topic}-group`;
  const collector = new KafkaCollector(
    {
      name: 'land',
      brokers: KAFKA_BROKERS,
      topics: [topic],
      groupId,
      clientId: 'vigil-land',
      format: 'json',
      mapping: identityMapping('events'),
      fromBeginning: true,
      batchRecords: 1_000,
      sessionTimeoutMs: 10_000,
    },
    { ingest, logger: silentLogger(), metrics: createCollectorMetrics(metrics.registry) },
  );
  try {
    await collector.start();
    await eventually(
      async () => ((await committedTotal(admin, groupId, topic)) === 5 ? true : undefined),
      'offsets 3 and 2 committed',
      60_000,
    );

    const ids = store
      .queryEvents('kafka', ALL_TIME)
      .map((stored) => stored.id)
      .sort();
    assert.deepEqual(ids, ['a', 'c', 'd']);
    const rejected = [...collector.rejections()].sort((x, y) => x.partition - y.partition);
    assert.equal(rejected.length, 2);
    assert.deepEqual(
      rejected.map((item) => [item.topic, item.partition, item.offset, item.code]),
      [
        [topic, 0, '1', 'invalid_row'],
        [topic, 1, '1', 'missing_field'],
      ],
    );
    assert.match(rejected[0]!.reason, /not valid JSON/);
    assert.equal(collector.health().state, 'running');
  } finally {
    await collector.stop();
    await producer.disconnect();
    await admin.disconnect();
    store.close();
  }
});

function startVigil(config: string): ChildProcess {
  return spawn('node', [VIGIL_BIN, 'serve', '--config', config], {
    cwd: REPOSITORY,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

/** Produces `TOTAL` events with ids k0 to k99999, spread over the partitions by key. */
async function produceEvents(kafka: ReturnType<typeof testKafka>, topic: string): Promise<void> {
  const producer = await connectedProducer(kafka);
  const now = Date.now();
  const batch = 5_000;
  for (let first = 0; first < TOTAL; first += batch) {
    const messages = Array.from({ length: batch }, (_, index) => {
      const id = `k${first + index}`;
      return { key: id, value: event(id, now - 60_000 + ((first + index) % 60_000)) };
    });
    await producer.send({ topic, messages });
  }
  await producer.disconnect();
}

async function metricsText(url: string): Promise<string> {
  return (await fetch(`${url}/metrics`)).text();
}

test('sigkill while consuming loses no message', { skip }, async (t) => {
  const topic = `vigil-kill-${Date.now()}`;
  const groupId = `${topic}-group`;
  const kafka = testKafka();
  const admin = kafka.admin();
  await admin.connect();
  await createTopic(admin, topic, PARTITIONS);
  await produceEvents(kafka, topic);

  const directory = mkdtempSync(join(tmpdir(), 'vigil-kafka-'));
  mkdirSync(join(directory, 'rules'));
  const config = join(directory, 'appliance.yaml');
  writeFileSync(
    config,
    `http: { port: 0 }
store: { path: ./store }
rules: { paths: [./rules] }
collectors:
  - name: orders
    kind: kafka
    brokers: [${KAFKA_BROKERS.join(', ')}]
    topics: [${topic}]
    group_id: ${groupId}
    batch_records: 2000
    session_timeout: 6s
    lag_interval: 1s
`,
  );

  let vigil: ChildProcess | undefined;
  try {
    // First run: killed once part of the topic is committed, with batches still in flight.
    vigil = startVigil(config);
    await waitForLog(vigil, 'appliance started', 60_000);
    const before = await eventually(
      async () => {
        const committed = await committedTotal(admin, groupId, topic);
        return committed >= TOTAL / 4 ? committed : undefined;
      },
      'a quarter of the messages committed',
      90_000,
    );
    vigil.kill('SIGKILL');
    await new Promise((resolve) => vigil!.once('close', resolve));
    assert.ok(before < TOTAL, `all ${TOTAL} messages committed before the kill`);

    // Second run: resumes from the committed offsets and drains the topic.
    vigil = startVigil(config);
    const url = String((await waitForLog(vigil, 'appliance started', 60_000)).url);
    await eventually(
      async () => ((await committedTotal(admin, groupId, topic)) === TOTAL ? true : undefined),
      `all ${TOTAL} messages committed`,
      90_000,
    );
    const lags = await eventually(
      async () => {
        const found = partitionLags(await metricsText(url), 'orders');
        const drained = found.size === PARTITIONS && [...found.values()].every((lag) => lag === 0);
        return drained ? found : undefined;
      },
      'lag 0 on every partition',
      30_000,
    );
    assert.deepEqual([...lags.keys()].sort(), ['0', '1', '2']);
    const text = await metricsText(url);
    const repeats = /^vigil_events_duplicate_total\{[^}]*\} (\d+)/m.exec(text)?.[1] ?? '0';
    t.diagnostic(`committed before the kill: ${before}; repeats dropped after it: ${repeats}`);

    const stopped = new Promise((resolve) => vigil!.once('close', resolve));
    vigil.kill('SIGTERM');
    await stopped;

    const store = SqliteStore.open({ directory: join(directory, 'store') });
    const stored = store.queryEvents('kafka', ALL_TIME).map((item) => item.id);
    store.close();
    const distinct = new Set(stored);
    assert.equal(distinct.size, TOTAL);
    assert.equal(stored.length, TOTAL, 'an event id is stored twice');
    for (const id of ['k0', 'k49999', 'k99999']) assert.ok(distinct.has(id), `${id} missing`);
  } finally {
    if (vigil !== undefined && vigil.exitCode === null) vigil.kill('SIGKILL');
    await admin.disconnect();
    rmSync(directory, { recursive: true, force: true });
  }
});
