import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { appendFileSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Client } from '@elastic/elasticsearch';
import type { PredictionEvent } from '../../../appliance/core/types.ts';
import { createSearchClient } from '../../../appliance/store/search/search-client.ts';
import { ensureSearchLayout } from '../../../appliance/store/search/search-setup.ts';
import { SearchBulkWriter } from '../../../appliance/store/search/search-bulk-writer.ts';
import { eventDocument } from '../../../appliance/store/search/search-layout.ts';
import { REPOSITORY } from '../process-helpers.ts';
import { killAndWait, memoryLogger } from './server-helpers.ts';

const url = process.env.OPENSEARCH_URL;
const skip = url ? false : 'OPENSEARCH_URL is not set (.ci/run starts OpenSearch)';
const BASE = Date.UTC(2026, 11, 1);

function event(i: number): PredictionEvent {
  return {
    stream: 'load',
    version: 'v1',
    id: `e${i}`,
    timestamp: BASE + i,
    features: { x: i },
    prediction: i % 3 === 0 ? 'yes' : i / 7,
    actual: null,
    latencyMs: i,
    error: false,
  };
}

/**
 * Starts a node with `.ci/servers/opensearch.sh` without blocking the event loop. Its cluster
 * name differs from the CI node's, so the two do not join one cluster on the loopback ports.
 */
async function startNode(basePort: number, dataDir: string) {
  const script = resolve(REPOSITORY, '.ci', 'servers', 'opensearch.sh');
  const args = [script, String(basePort), dataDir, 'vigil-it-outage'];
  const { stdout } = await promisify(execFile)('bash', args);
  const [pid, at] = stdout.trim().split(' ');
  // .ci/run stops every PID in this file on exit, so a failed test leaves no node behind.
  const pidsFile = process.env.VIGIL_SERVER_PIDS_FILE;
  if (pidsFile) appendFileSync(pidsFile, `${pid}\n`);
  return { pid: Number(pid), url: at! };
}

/**
 * Returns a base port whose HTTP port (base + 1) is free, so a node left by another run does not
 * fail the test. The runner accepts HTTP ports up to 9299 only.
 */
async function freeBasePort(): Promise<number> {
  for (let base = 9270; base < 9298; base += 2) {
    if (await portIsFree(base + 1)) return base;
  }
  throw new Error('no free OpenSearch HTTP port from 9271 to 9297; stop the nodes that use them');
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const server = createServer();
    server.once('error', () => resolvePromise(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolvePromise(true)));
  });
}

async function countAndSum(client: Client, index: string) {
  await client.indices.refresh({ index });
  const answer = await client.search({
    index,
    size: 0,
    track_total_hits: true,
    aggs: { latency: { sum: { field: 'latency_ms' } } },
  });
  const total = answer.hits.total;
  const count = typeof total === 'number' ? total : (total?.value ?? -1);
  const sum = (answer.aggregations?.latency as { value: number } | undefined)?.value;
  return { count, sum };
}

test('resent event stored once', { skip }, async () => {
  const client = createSearchClient({ flavor: 'opensearch', url: url! });
  const { logger, records } = memoryLogger();
  await client.indices.deleteDataStream({ name: 'vigil-it-dup-*' }, { ignore: [404] });
  const lifecycle = await ensureSearchLayout(
    client,
    { flavor: 'opensearch', prefix: 'vigil-it-dup' },
    logger,
  );
  const writer = new SearchBulkWriter({ client, logger, prefix: 'vigil-it-dup' });
  const docs = Array.from({ length: 100 }, (_, i) => eventDocument(event(i)));

  const first = await writer.write('events', docs);
  const second = await writer.write('events', docs.slice(0, 40));

  assert.equal(first.stored, 100);
  assert.equal(second.stored, 0);
  assert.equal(second.alreadyStored, 40);
  assert.deepEqual(await countAndSum(client, 'vigil-it-dup-events'), { count: 100, sum: 4950 });
  assert.equal(lifecycle.kind, 'unavailable');
  const warned = records.filter(
    (r) => r.msg === 'document lifecycle unavailable, old documents stay',
  );
  assert.equal(warned.length, 1);
  assert.match(String(warned[0]!.reason), /ISM plugin missing/);
});

test('mapping-rejected document reported alone', { skip }, async () => {
  const client = createSearchClient({ flavor: 'opensearch', url: url! });
  const { logger, records } = memoryLogger();
  await client.indices.deleteDataStream({ name: 'vigil-it-bad-*' }, { ignore: [404] });
  await ensureSearchLayout(client, { flavor: 'opensearch', prefix: 'vigil-it-bad' }, logger);
  const writer = new SearchBulkWriter({ client, logger, prefix: 'vigil-it-bad' });
  const bad = eventDocument(event(1));
  bad.body.latency_ms = 'not a number';

  const outcome = await writer.write('events', [eventDocument(event(0)), bad]);

  assert.equal(outcome.stored, 1);
  assert.equal(outcome.rejected.length, 1);
  assert.equal(outcome.rejected[0]!.id, bad.id);
  assert.equal(outcome.rejected[0]!.status, 400);
  assert.equal(
    records.filter((r) => r.msg === 'document store rejected a document, dropped it').length,
    1,
  );
});

test('node killed mid-load: 50,000 events, none twice', { skip, timeout: 600_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-opensearch-outage-'));
  const basePort = await freeBasePort();
  let node = await startNode(basePort, dir);
  const client = createSearchClient({ flavor: 'opensearch', url: node.url, maxRetries: 1 });
  const { logger } = memoryLogger();
  await ensureSearchLayout(client, { flavor: 'opensearch' }, logger);
  const writer = new SearchBulkWriter({ client, logger, flushBytes: 100_000, concurrency: 2 });
  const total = 50_000;
  const docs = Array.from({ length: total }, (_, i) => eventDocument(event(i)));

  const load = writer.write('events', docs);
  while (((await writer.metrics.stored.get()).values[0]?.value ?? 0) < 10_000) {
    await new Promise((r) => setTimeout(r, 20));
  }
  await killAndWait(node.pid);
  const storedAtKill = (await writer.metrics.stored.get()).values[0]?.value ?? 0;
  await new Promise((r) => setTimeout(r, 3000));
  node = await startNode(basePort, dir);
  const outcome = await load;

  assert.ok(storedAtKill < total, `the kill came after the load ended (${storedAtKill})`);
  assert.deepEqual(outcome.rejected, []);
  assert.equal(outcome.stored + outcome.alreadyStored, total);
  const retried = (await writer.metrics.retries.get()).values[0]?.value ?? 0;
  assert.ok(retried > 0, `expected documents sent again after the kill, got ${retried}`);
  // 50,000 documents whose latency_ms are 0..49,999 sum to n(n-1)/2 only if none is missing
  // and none is doubled, given the count.
  const stored = await countAndSum(client, 'vigil-events');
  assert.deepEqual(stored, { count: total, sum: (total * (total - 1)) / 2 });
  await killAndWait(node.pid, 'SIGTERM');
});
