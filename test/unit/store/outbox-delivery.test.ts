import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InfluxDB } from 'influx';
import { Outbox } from '../../../appliance/store/outbox/outbox.ts';
import { OutboxDrainer, type OutboxSink } from '../../../appliance/store/outbox/outbox-drainer.ts';
import { ForwardingStore } from '../../../appliance/store/outbox/forwarding-store.ts';
import { OUTBOX_ORDER } from '../../../appliance/store/outbox/outbox-sinks.ts';
import { InfluxBatchWriter } from '../../../appliance/store/influx/influx-batch-writer.ts';
import { SqliteStore } from '../../../appliance/store/sqlite-store.ts';
import { silentLogger } from '../../../appliance/log/logger.ts';
import { makeEvent } from './fixtures.ts';

function tempOutbox(t: { after: (fn: () => void) => void }): Outbox {
  const directory = mkdtempSync(join(tmpdir(), 'vigil-delivery-'));
  const outbox = new Outbox({ path: join(directory, 'outbox.db') });
  t.after(() => {
    outbox.close();
    rmSync(directory, { recursive: true, force: true });
  });
  return outbox;
}

function drainerFor(outbox: Outbox, sinks: Record<string, OutboxSink>, extra = {}) {
  return new OutboxDrainer({ outbox, sinks, logger: silentLogger(), retryDelayMs: 1, ...extra });
}

test('drain joins entries into one delivery', async (t) => {
  const outbox = tempOutbox(t);
  for (let i = 0; i < 5; i++) outbox.append('series', [i, i + 10]);
  const calls: unknown[][] = [];
  const drainer = drainerFor(outbox, { series: async (items) => void calls.push(items) });

  const delivered = await drainer.drainOnce('series');

  assert.equal(delivered, 5);
  assert.equal(calls.length, 1);
  assert.deepEqual(calls[0], [0, 10, 1, 11, 2, 12, 3, 13, 4, 14]);
  assert.equal(outbox.count('series'), 0);
  assert.equal(outbox.depthBytes, 0);
});

test('byte budget splits deliveries', async (t) => {
  const outbox = tempOutbox(t);
  // Each entry is `["xxxxxxxxxx"]`, 14 bytes of JSON, so a budget of 30 fits two.
  for (let i = 0; i < 5; i++) outbox.append('series', ['x'.repeat(10)]);
  outbox.append('series', ['y'.repeat(100)]);
  const calls: number[] = [];
  const drainer = drainerFor(
    outbox,
    { series: async (items) => void calls.push(items.length) },
    { maxBytesPerDelivery: 30 },
  );

  await drainer.drainOnce('series');

  assert.deepEqual(calls, [2, 2, 1, 1]);
  assert.equal(outbox.count('series'), 0);
});

test('entry budget splits deliveries', async (t) => {
  const outbox = tempOutbox(t);
  for (let i = 0; i < 7; i++) outbox.append('results', [i]);
  const calls: unknown[][] = [];
  const drainer = drainerFor(
    outbox,
    { results: async (items) => void calls.push(items) },
    { maxEntriesPerDelivery: 3 },
  );

  await drainer.drainOnce('results');

  assert.deepEqual(calls, [[0, 1, 2], [3, 4, 5], [6]]);
});

test('actuals wait for earlier events', async (t) => {
  const outbox = tempOutbox(t);
  outbox.append('actuals', ['before']);
  outbox.append('events', ['event']);
  outbox.append('actuals', ['after']);
  const actuals: unknown[] = [];
  let eventsUp = false;
  const drainer = drainerFor(
    outbox,
    {
      events: async () => {
        if (!eventsUp) throw new Error('connect ECONNREFUSED 127.0.0.1:9201');
      },
      actuals: async (items) => void actuals.push(...items),
    },
    { after: OUTBOX_ORDER },
  );

  await assert.rejects(drainer.drainOnce('events'), /ECONNREFUSED/);
  const whileDown = await drainer.drainOnce('actuals');
  eventsUp = true;
  await drainer.drainOnce('events');
  const afterEvents = await drainer.drainOnce('actuals');

  assert.equal(whileDown, 1);
  assert.equal(afterEvents, 1);
  assert.deepEqual(actuals, ['before', 'after']);
  assert.equal(outbox.count('actuals'), 0);
});

test('drain reports entries left on timeout', async (t) => {
  const outbox = tempOutbox(t);
  outbox.append('series', ['p']);
  outbox.append('results', ['r']);
  const drainer = drainerFor(outbox, {
    series: async () => {
      throw new Error('influx timed out');
    },
    results: async () => {},
  });

  drainer.start();
  const left = await drainer.drain(300);
  await drainer.stop();

  assert.deepEqual(left, { series: 1 });
  assert.equal(outbox.oldest('series', 10)[0]!.items[0], 'p');
});

test('drain resolves empty once delivered', async (t) => {
  const outbox = tempOutbox(t);
  for (let i = 0; i < 3; i++) outbox.append('events', [i]);
  const delivered: unknown[] = [];
  const drainer = drainerFor(outbox, { events: async (items) => void delivered.push(...items) });

  drainer.start();
  const left = await drainer.drain(10_000);
  await drainer.stop();

  assert.deepEqual(left, {});
  assert.deepEqual(delivered, [0, 1, 2]);
});

test('aborted influx writer keeps its points', async () => {
  let attempts = 0;
  const influx = {
    writePoints: async () => {
      attempts += 1;
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8086'), {
        code: 'ECONNREFUSED',
      });
    },
  } as unknown as InfluxDB;
  const writer = new InfluxBatchWriter({
    influx,
    database: 'vigil',
    logger: silentLogger(),
    retryDelayMs: 10_000,
  });

  writer.write([{ measurement: 'm', tags: {}, fields: { value: 1 }, timestamp: 1 }]);
  const flushed = writer.flush();
  while (attempts === 0) await new Promise((r) => setTimeout(r, 1));
  writer.abort();

  assert.equal(await flushed, false);
  assert.equal(writer.buffered, 1);
  assert.equal(attempts, 1);
  assert.equal(
    writer.write([{ measurement: 'm', tags: {}, fields: { value: 2 }, timestamp: 2 }]).overflow,
    1,
  );
});

test('applied actuals are forwarded, unknown ones not', (t) => {
  const outbox = tempOutbox(t);
  const inner = SqliteStore.open({ directory: ':memory:' });
  t.after(() => inner.close());
  const store = new ForwardingStore({
    inner,
    outbox,
    logger: silentLogger(),
    documents: true,
    series: false,
  });

  store.insertEvents([makeEvent({ id: 'known' })]);
  const result = store.applyActuals([
    { stream: 'bikes', id: 'unknown', actual: 3 },
    { stream: 'bikes', id: 'known', actual: 118 },
  ]);

  assert.deepEqual(result.notFoundIndexes, [0]);
  const entries = outbox.oldest('actuals', 10);
  assert.equal(entries.length, 1);
  assert.deepEqual(entries[0]!.items, [{ stream: 'bikes', id: 'known', actual: 118 }]);
  assert.ok(entries[0]!.seq > outbox.oldest('events', 1)[0]!.seq);
});

test('actuals stay local without documents', (t) => {
  const outbox = tempOutbox(t);
  const inner = SqliteStore.open({ directory: ':memory:' });
  t.after(() => inner.close());
  const store = new ForwardingStore({
    inner,
    outbox,
    logger: silentLogger(),
    documents: false,
    series: true,
  });

  store.insertEvents([makeEvent({ id: 'known' })]);
  const result = store.applyActuals([{ stream: 'bikes', id: 'known', actual: 118 }]);

  assert.equal(result.updated, 1);
  assert.equal(outbox.count('actuals'), 0);
});
