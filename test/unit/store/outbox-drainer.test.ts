import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Outbox } from '../../../appliance/store/outbox/outbox.ts';
import { OutboxDrainer } from '../../../appliance/store/outbox/outbox-drainer.ts';
import { ForwardingStore } from '../../../appliance/store/outbox/forwarding-store.ts';
import { SqliteStore } from '../../../appliance/store/sqlite-store.ts';
import { silentLogger } from '../../../appliance/log/logger.ts';
import { makeEvent } from './fixtures.ts';

function tempDir(t: { after: (fn: () => void) => void }): string {
  const directory = mkdtempSync(join(tmpdir(), 'vigil-drainer-'));
  t.after(() => rmSync(directory, { recursive: true, force: true }));
  return directory;
}

test('drain delivers in order after failures', async (t) => {
  const outbox = new Outbox({ path: join(tempDir(t), 'outbox.db') });
  for (let i = 0; i < 5; i++) outbox.append('events', [i]);
  const delivered: unknown[] = [];
  let failures = 2;
  const drainer = new OutboxDrainer({
    outbox,
    logger: silentLogger(),
    retryDelayMs: 1,
    sinks: {
      events: async (items) => {
        if (failures > 0) {
          failures -= 1;
          throw new Error('connect ECONNREFUSED 127.0.0.1:9201');
        }
        delivered.push(...items);
      },
    },
  });

  drainer.start();
  while (outbox.depthBytes > 0) await new Promise((r) => setTimeout(r, 5));
  await drainer.stop();

  assert.deepEqual(delivered, [0, 1, 2, 3, 4]);
  assert.equal(failures, 0);
  assert.deepEqual(drainer.failing(), {});
  outbox.close();
});

test('failed delivery keeps the entry', async (t) => {
  const outbox = new Outbox({ path: join(tempDir(t), 'outbox.db') });
  outbox.append('series', ['p']);
  const drainer = new OutboxDrainer({
    outbox,
    logger: silentLogger(),
    sinks: {
      series: async () => {
        throw new Error('influx timed out');
      },
    },
  });

  await assert.rejects(drainer.drainOnce('series'), /influx timed out/);

  assert.equal(outbox.oldest('series', 10).length, 1);
  outbox.close();
});

test('full outbox refuses ingest, stores nothing', (t) => {
  const directory = tempDir(t);
  const inner = SqliteStore.open({ directory });
  const outbox = new Outbox({ path: join(directory, 'outbox.db'), maxBytes: 10 });
  outbox.append('events', ['more than ten bytes'], { pastLimit: true });
  const store = new ForwardingStore({
    inner,
    outbox,
    logger: silentLogger(),
    documents: true,
    series: true,
  });

  assert.throws(() => store.insertEvents([makeEvent({ id: 'a' })]), /outbox .* limit is 10/);

  assert.equal(inner.listStreams().length, 0);
  store.close();
  outbox.close();
});

test('committed events and results are forwarded', (t) => {
  const directory = tempDir(t);
  const inner = SqliteStore.open({ directory });
  const outbox = new Outbox({ path: join(directory, 'outbox.db') });
  const store = new ForwardingStore({
    inner,
    outbox,
    logger: silentLogger(),
    documents: true,
    series: false,
  });
  const result = {
    timestamp: 1000,
    rule: 'r',
    group: 'g',
    evaluator: 'psi',
    labels: {},
    values: { psi: 0.1 },
    convention: {},
  };

  store.insertEvents([makeEvent({ id: 'a' }), makeEvent({ id: 'a' })]);
  store.writeResults([result]);

  const events = outbox.oldest('events', 10);
  assert.equal(events.length, 1);
  assert.deepEqual(
    (events[0]!.items as { id: string }[]).map((e) => e.id),
    ['a', 'a'],
  );
  assert.deepEqual(outbox.oldest('results', 10)[0]!.items, [result]);
  assert.equal(outbox.oldest('series', 10).length, 0);
  store.close();
  outbox.close();
});
