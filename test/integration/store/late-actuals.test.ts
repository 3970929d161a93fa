import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAppliance } from '../../../appliance/app.ts';
import { loadConfig } from '../../../appliance/config/load-config.ts';
import { createSearchClient } from '../../../appliance/store/search/search-client.ts';
import { documentId, eventDocument } from '../../../appliance/store/search/search-layout.ts';
import { SearchActualUpdater } from '../../../appliance/store/search/search-actual-updater.ts';
import { SearchBulkWriter } from '../../../appliance/store/search/search-bulk-writer.ts';
import { ensureSearchLayout } from '../../../appliance/store/search/search-setup.ts';
import { makeEvent } from '../../unit/store/fixtures.ts';
import { REPOSITORY } from '../process-helpers.ts';
import { memoryLogger } from './server-helpers.ts';

const openSearchUrl = process.env.OPENSEARCH_URL;
const skip = openSearchUrl ? false : 'OPENSEARCH_URL is not set (.ci/run sets it)';

async function post(url: string, path: string, body: unknown) {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

test('late actuals update event documents', { skip, timeout: 120_000 }, async (t) => {
  const directory = mkdtempSync(join(tmpdir(), 'vigil-late-actuals-'));
  t.after(() => rmSync(directory, { recursive: true, force: true }));
  const prefix = `vigil-it-actuals-${Date.now()}`;
  const env = {
    VIGIL_STORE: 'opensearch',
    OPENSEARCH_URL: openSearchUrl,
    DOCUMENT_STREAM_PREFIX: prefix,
  };
  const { config } = loadConfig({ env, cwd: REPOSITORY });
  config.http.port = 0;
  config.store.path = directory;
  config.rules.paths = [];
  const search = createSearchClient({ flavor: 'opensearch', url: openSearchUrl! });
  t.after(async () => {
    await search.indices.deleteDataStream({ name: `${prefix}-events` }, { ignore: [404] });
    await search.close();
  });
  const { logger, records } = memoryLogger();
  const appliance = await startAppliance(config, { logger });
  t.after(() => appliance.close());
  const now = Date.now();

  const events = Array.from({ length: 30 }, (_, i) => ({
    stream: 'late',
    id: `e${i}`,
    timestamp: new Date(now - 60_000 + i).toISOString(),
    features: { x: i },
    prediction: i,
  }));
  const sent = await post(appliance.url, '/api/v1/events', events);
  // Sent at once, before the events reach OpenSearch: the updates wait for them in the outbox.
  const labels = events
    .slice(0, 20)
    .map((event, i) => ({ stream: 'late', id: event.id, actual: i * 10 }));
  const relabel = [{ stream: 'late', id: 'e0', actual: 'relabelled' }];
  const joined = await post(appliance.url, '/api/v1/actuals', labels);
  const joinedAgain = await post(appliance.url, '/api/v1/actuals', relabel);
  const left = await appliance.remote!.drain(60_000);
  await search.indices.refresh({ index: `${prefix}-events` });
  const response = await search.search<{ event_id: string; actual: unknown }>({
    index: `${prefix}-events`,
    size: 100,
    query: { match_all: {} },
  });
  const actuals = new Map(
    response.hits.hits.map((hit) => [hit._source!.event_id, hit._source!.actual]),
  );

  assert.equal(sent.status, 200);
  assert.equal(joined.status, 200);
  assert.equal(joinedAgain.status, 200);
  assert.deepEqual(left, {});
  assert.equal(actuals.size, 30);
  assert.equal(actuals.get('e0'), 'relabelled');
  for (let i = 1; i < 20; i++) assert.equal(actuals.get(`e${i}`), i * 10, `e${i}`);
  for (let i = 20; i < 30; i++) assert.equal(actuals.get(`e${i}`), null, `e${i}`);
  assert.equal(
    response.hits.hits.find((hit) => hit._source!.event_id === 'e5')?._id,
    documentId('event', 'late', 'e5'),
  );
  // The runner's OpenSearch has no ISM plugin, and that warning is about retention, not delivery.
  const warnings = records
    .filter((record) => (record.level as number) >= 40)
    .map((record) => record.msg)
    .filter((msg) => msg !== 'document lifecycle unavailable, old documents stay');
  assert.deepEqual(warnings, []);
});

test('actuals without documents are skipped', { skip, timeout: 60_000 }, async (t) => {
  const prefix = `vigil-it-actuals-missing-${Date.now()}`;
  const client = createSearchClient({ flavor: 'opensearch', url: openSearchUrl! });
  t.after(async () => {
    await client.indices.deleteDataStream({ name: `${prefix}-events` }, { ignore: [404] });
    await client.close();
  });
  const { logger, records } = memoryLogger();
  const updater = new SearchActualUpdater({ client, logger, prefix });
  const update = { stream: 'late', id: 'never-sent', actual: 1 };

  const noStream = await updater.apply([update]);
  await ensureSearchLayout(client, { flavor: 'opensearch', prefix }, logger);
  const writer = new SearchBulkWriter({ client, logger, prefix });
  await writer.write('events', [eventDocument(makeEvent({ stream: 'late', id: 'sent' }))]);
  const someMissing = await updater.apply([update, { stream: 'late', id: 'sent', actual: 2 }]);

  assert.deepEqual(noStream, { updated: 0, missing: [documentId('event', 'late', 'never-sent')] });
  assert.deepEqual(someMissing, {
    updated: 1,
    missing: [documentId('event', 'late', 'never-sent')],
  });
  const skipped = records.filter((r) => String(r.msg).startsWith('late actuals found no event'));
  assert.equal(skipped.length, 2);
});
