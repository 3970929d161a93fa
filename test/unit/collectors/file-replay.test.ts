import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Ingestor } from '../../../appliance/ingest/ingestor.ts';
import { silentLogger } from '../../../appliance/log/logger.ts';
import { createMetrics } from '../../../appliance/metrics/metrics.ts';
import { SqliteStore } from '../../../appliance/store/sqlite-store.ts';
import { createCollectorMetrics } from '../../../collectors/collector-metrics.ts';
import { FileReplay } from '../../../collectors/file-replay.ts';
import { identityMapping } from '../../../collectors/mapping.ts';

function line(id: string, timestamp: number): string {
  return `${JSON.stringify({ stream: 'm', id, timestamp, prediction: 1 })}\n`;
}

test('replay follows event time at the chosen speed', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'vigil-replay-'));
  const path = join(directory, 'history.ndjson');
  writeFileSync(path, line('c', 20_000) + line('a', 0) + 'oops\n' + line('b', 10_000));

  const store = SqliteStore.open({ directory: ':memory:' });
  const metrics = createMetrics({ defaultMetrics: false });
  const ingestor = new Ingestor({ store, metrics, logger: silentLogger() });
  const order: string[] = [];
  ingestor.onCommitted(({ events }) => order.push(...events.map((event) => event.id)));
  let clock = 0;
  const waits: number[] = [];
  const replay = new FileReplay(
    {
      name: 'history',
      path,
      format: 'ndjson',
      mapping: identityMapping('events'),
      speed: 10,
      sleep: async (ms) => {
        waits.push(ms);
        clock += ms;
      },
    },
    {
      ingest: ingestor,
      logger: silentLogger(),
      metrics: createCollectorMetrics(metrics.registry),
      now: () => clock,
    },
  );

  await replay.start();
  const summary = await replay.done;

  assert.deepEqual(order, ['a', 'b', 'c']);
  assert.deepEqual(waits, [1_000, 1_000]);
  assert.equal(summary.rows, 3);
  assert.equal(summary.stored, 3);
  const text = await metrics.registry.metrics();
  assert.match(
    text,
    /vigil_collector_records_rejected_total\{collector="history",reason="invalid_row"\} 1/,
  );
});
