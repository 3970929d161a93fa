import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, renameSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Ingestor } from '../../../appliance/ingest/ingestor.ts';
import { silentLogger } from '../../../appliance/log/logger.ts';
import { createMetrics, type VigilMetrics } from '../../../appliance/metrics/metrics.ts';
import { SqliteStore } from '../../../appliance/store/sqlite-store.ts';
import { createCollectorMetrics } from '../../../collectors/collector-metrics.ts';
import { FileCollector } from '../../../collectors/file-collector.ts';
import { identityMapping, parseMapping } from '../../../collectors/mapping.ts';

const ALL_TIME = { from: 0, to: Number.MAX_SAFE_INTEGER };

function setup() {
  const directory = mkdtempSync(join(tmpdir(), 'vigil-file-'));
  const store = SqliteStore.open({ directory: ':memory:' });
  const metrics = createMetrics({ defaultMetrics: false });
  const ingestor = new Ingestor({ store, metrics, logger: silentLogger() });
  const collectorMetrics = createCollectorMetrics(metrics.registry);
  const context = { ingest: ingestor, logger: silentLogger(), metrics: collectorMetrics };
  return { directory, store, metrics, context };
}

function ndjson(ids: string[]): string {
  return ids
    .map((id) => `${JSON.stringify({ stream: 'm', id, timestamp: 1000, prediction: 1 })}\n`)
    .join('');
}

function storedIds(store: SqliteStore): string[] {
  return store
    .queryEvents('m', ALL_TIME)
    .map((event) => event.id)
    .sort();
}

async function duplicates(metrics: VigilMetrics): Promise<number> {
  const value = (await metrics.eventsDuplicate.get()).values[0]?.value;
  return value ?? 0;
}

function collector(
  env: ReturnType<typeof setup>,
  path: string,
  format: 'ndjson' | 'csv' = 'ndjson',
) {
  const mapping =
    format === 'ndjson'
      ? identityMapping('events')
      : parseMapping(
          {
            fields: {
              id: 'id',
              timestamp: { from: 'ts', type: 'number' },
              prediction: { from: 'p', type: 'number' },
              'features.city': 'city',
            },
            constants: { stream: 'm' },
          },
          'events',
        ).mapping!;
  return new FileCollector(
    {
      name: 'log',
      path,
      format,
      mapping,
      checkpointPath: join(env.directory, 'log.checkpoint.json'),
      intervalMs: 1_000,
    },
    env.context,
  );
}

test('ndjson line that is not JSON is rejected alone', async () => {
  const env = setup();
  const path = join(env.directory, 'events.ndjson');
  writeFileSync(path, `${ndjson(['a'])}{"stream": "m", "id": \n${ndjson(['b'])}`);

  const file = collector(env, path);
  await file.drain();

  assert.deepEqual(storedIds(env.store), ['a', 'b']);
  const [rejection] = file.rejections();
  assert.equal(file.rejections().length, 1);
  assert.equal(rejection!.file, path);
  assert.equal(rejection!.line, 2);
  assert.equal(rejection!.code, 'invalid_row');
  assert.match(rejection!.reason, /not valid JSON/);
});

test('csv line with an unclosed quote is rejected alone', async () => {
  const env = setup();
  const path = join(env.directory, 'events.csv');
  writeFileSync(path, 'id,ts,p,city\na,1000,1,Oslo\nb,1000,2,"Bergen\nc,1000,3,"Tromsø, north"\n');

  const file = collector(env, path, 'csv');
  await file.drain();

  assert.deepEqual(storedIds(env.store), ['a', 'c']);
  assert.equal(
    env.store.queryEvents('m', ALL_TIME).find((e) => e.id === 'c')!.features.city,
    'Tromsø, north',
  );
  assert.equal(file.rejections().length, 1);
  assert.equal(file.rejections()[0]!.line, 3);
  assert.match(file.rejections()[0]!.reason, /unterminated quoted field/);
});

test('csv value of the wrong type names its field', async () => {
  const env = setup();
  const path = join(env.directory, 'events.csv');
  writeFileSync(path, 'id,ts,p,city\na,1000,high,Oslo\nb,1000,2,Bergen\n');

  const file = collector(env, path, 'csv');
  await file.drain();

  assert.deepEqual(storedIds(env.store), ['b']);
  assert.equal(file.rejections()[0]!.line, 2);
  assert.equal(file.rejections()[0]!.field, 'prediction');
});

test('rotation while stopped loses and repeats no line', async () => {
  const env = setup();
  const path = join(env.directory, 'events.ndjson');
  writeFileSync(path, ndjson(['1', '2', '3']));
  const first = collector(env, path);
  await first.drain();
  await first.stop();

  appendFileSync(path, ndjson(['4', '5']));
  renameSync(path, `${path}.1`);
  writeFileSync(path, ndjson(['6', '7']));
  const second = collector(env, path);
  await second.drain();

  assert.deepEqual(storedIds(env.store), ['1', '2', '3', '4', '5', '6', '7']);
  assert.equal(await duplicates(env.metrics), 0);
});

test('restart resumes after the last committed line', async () => {
  const env = setup();
  const path = join(env.directory, 'events.ndjson');
  writeFileSync(path, ndjson(['1', '2']));
  await collector(env, path).drain();

  appendFileSync(path, `${ndjson(['3'])}{"stream":"m","id":"4"`);
  const second = collector(env, path);
  await second.drain();
  appendFileSync(path, ',"timestamp":1000,"prediction":1}\n');
  await second.drain();

  assert.deepEqual(storedIds(env.store), ['1', '2', '3', '4']);
  assert.equal(await duplicates(env.metrics), 0);
});

test('truncation while running loses and repeats no line', async () => {
  const env = setup();
  const path = join(env.directory, 'events.ndjson');
  writeFileSync(path, ndjson(['1', '2', '3']));
  const file = collector(env, path);
  await file.drain();

  truncateSync(path, 0);
  appendFileSync(path, ndjson(['4']));
  await file.drain();
  appendFileSync(path, ndjson(['5']));
  await file.drain();

  assert.deepEqual(storedIds(env.store), ['1', '2', '3', '4', '5']);
  assert.equal(await duplicates(env.metrics), 0);
  assert.equal(file.rejections().length, 0);
});

test('received and rejected lines are counted per collector', async () => {
  const env = setup();
  const path = join(env.directory, 'events.ndjson');
  writeFileSync(path, `${ndjson(['a'])}not json\n`);
  await collector(env, path).drain();

  const text = await env.metrics.registry.metrics();
  assert.match(text, /vigil_collector_records_received_total\{collector="log"\} 2/);
  assert.match(
    text,
    /vigil_collector_records_rejected_total\{collector="log",reason="invalid_row"\} 1/,
  );
  assert.match(text, /vigil_collector_lag_seconds\{collector="log"\} \d+/);
});

test('rotation while running drains the old file first', async () => {
  const env = setup();
  const path = join(env.directory, 'events.ndjson');
  writeFileSync(path, ndjson(['1']));
  const file = collector(env, path);
  await file.drain();

  appendFileSync(path, ndjson(['2']));
  renameSync(path, `${path}.1`);
  writeFileSync(path, ndjson(['3']));
  await file.drain();

  assert.deepEqual(storedIds(env.store), ['1', '2', '3']);
  assert.equal(await duplicates(env.metrics), 0);
});

test('corrupt checkpoint names its path and the fix', () => {
  const env = setup();
  const path = join(env.directory, 'events.ndjson');
  writeFileSync(join(env.directory, 'log.checkpoint.json'), '{"ino": 1, "off');
  assert.throws(() => collector(env, path), /log\.checkpoint\.json is not valid JSON.*delete it/);
});

test('file created after start is read from line 1', async () => {
  const env = setup();
  const path = join(env.directory, 'later.ndjson');
  const file = collector(env, path);
  await file.drain();

  writeFileSync(path, ndjson(['1', '2']));
  await file.drain();

  assert.deepEqual(storedIds(env.store), ['1', '2']);
  assert.equal(file.rejections().length, 0);
});
