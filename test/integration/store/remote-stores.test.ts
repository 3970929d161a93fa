import { test } from 'node:test';
import { errors } from '@elastic/elasticsearch';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAppliance } from '../../../appliance/app.ts';
import { loadConfig } from '../../../appliance/config/load-config.ts';
import { createSearchClient } from '../../../appliance/store/search/search-client.ts';
import { createInfluxClient } from '../../../appliance/store/influx/influx-setup.ts';
import { REPOSITORY, eventually } from '../process-helpers.ts';
import { memoryLogger } from './server-helpers.ts';

const influxUrl = process.env.INFLUX_URL;
const openSearchUrl = process.env.OPENSEARCH_URL;
const skip =
  influxUrl && openSearchUrl
    ? false
    : 'INFLUX_URL or OPENSEARCH_URL is not set (.ci/run sets both)';

async function post(url: string, path: string, body: unknown) {
  return fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

test('VIGIL_STORE sends ingest to both servers', { skip, timeout: 120_000 }, async (t) => {
  const directory = mkdtempSync(join(tmpdir(), 'vigil-remote-'));
  t.after(() => rmSync(directory, { recursive: true, force: true }));
  const database = `vigil_it_remote_${Date.now()}`;
  const env = {
    VIGIL_STORE: 'influx+opensearch',
    INFLUX_URL: influxUrl,
    INFLUX_DATABASE: database,
    OPENSEARCH_URL: openSearchUrl,
  };
  const { config } = loadConfig({ env, cwd: REPOSITORY });
  config.http.port = 0;
  config.store.path = directory;
  config.rules.paths = [];
  const search = createSearchClient({ flavor: 'opensearch', url: openSearchUrl! });
  await search.indices.deleteDataStream(
    { name: 'vigil-events,vigil-results,vigil-alerts' },
    { ignore: [404] },
  );
  const appliance = await startAppliance(config, { logger: memoryLogger().logger });
  t.after(() => appliance.close());
  const now = Date.now();

  const events = Array.from({ length: 20 }, (_, i) => ({
    stream: 'remote',
    id: `r${i}`,
    timestamp: new Date(now - 60_000 + i).toISOString(),
    features: { x: i },
    prediction: i,
  }));
  const points = [{ name: 'queue_depth', labels: { host: 'a' }, value: 3, timestamp: now - 1000 }];
  const sentEvents = await post(appliance.url, '/api/v1/events', events);
  const sentPoints = await post(appliance.url, '/api/v1/series', points);

  assert.equal(sentEvents.status, 200);
  assert.equal(sentPoints.status, 200);
  assert.deepEqual(config.store.remote, {
    series: { kind: 'influx', url: influxUrl, database },
    documents: { kind: 'opensearch', url: openSearchUrl },
  });
  const stored = await eventually(async () => {
    // A data stream created a moment ago may have no started shard yet. A count then fails
    // with search_phase_execution_exception, which means "not yet" here, not a failure.
    try {
      await search.indices.refresh({ index: 'vigil-events' }, { ignore: [404] });
      const counted = await search.count({ index: 'vigil-events' }, { ignore: [404] });
      return counted.count === 20 ? counted.count : undefined;
    } catch (error) {
      if (error instanceof errors.ResponseError) return undefined;
      throw error;
    }
  }, '20 events in OpenSearch');
  assert.equal(stored, 20);
  const influx = createInfluxClient(influxUrl!, database);
  const values = await eventually(async () => {
    const rows = await influx.query<{ value: number }>('SELECT "value" FROM "queue_depth"');
    return rows.length > 0 ? rows.map((r) => r.value) : undefined;
  }, 'the point in InfluxDB');
  assert.deepEqual(values, [3]);
  const ready = (await (await fetch(`${appliance.url}/readyz`)).json()) as {
    checks: Record<string, string>;
  };
  assert.equal(ready.checks.outbox_events, 'ok');
  assert.equal(ready.checks.outbox_series, 'ok');
  const metrics = await (await fetch(`${appliance.url}/metrics`)).text();
  assert.match(metrics, /vigil_outbox_depth_bytes\{target="events"\} 0/);
});
