import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { eventually } from './process-helpers.ts';
import { startServer, startVigil, type StartedServer, type StartedVigil } from './servers.ts';

// A running Vigil that writes to real InfluxDB and OpenSearch and that Prometheus scrapes, fed
// so that every dashboard panel has data. The rules in dashboard-fixture-rules.yaml run every
// evaluator that a panel reads on the `checkout` stream and the `requests` series. Ingest also
// gets one rejected event and one rejected point, and alerts go to two receivers, one that
// accepts notifications and one that returns 500.

export const SCRAPE_INTERVAL_MS = 1000;

const rulesFile = new URL('dashboard-fixture-rules.yaml', import.meta.url);

function applianceConfig(influxUrl: string, openSearchUrl: string, sinkUrl: string): string {
  return `http:
  port: 0
store:
  path: ./store
  series:
    kind: influx
    url: ${influxUrl}
    database: vigil
  documents:
    kind: opensearch
    url: ${openSearchUrl}
rules:
  paths: [./rules]
alerting:
  receivers:
    - { name: delivering, url: '${sinkUrl}/ok' }
    - { name: failing, url: '${sinkUrl}/fail', max_attempts: 2, initial_backoff: 100ms }
  route:
    receiver: delivering
    group_wait: 0s
    routes:
      - { receiver: failing, continue: true }
      - { receiver: delivering }
`;
}

export interface DashboardFixture {
  vigil: StartedVigil;
  prometheus: StartedServer;
  stop(): Promise<void>;
}

/** Starts a webhook receiver on 127.0.0.1 that returns 200 on `/ok` and 500 on other paths. */
async function startSink(): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    request.resume();
    response.statusCode = request.url === '/ok' ? 200 : 500;
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return { server, url: `http://127.0.0.1:${port}` };
}

async function post(url: string, body: unknown): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

// 200 `checkout` events, one every 3 s over the last 10 minutes, of model version v1. The
// binary prediction and actual serve the classification and the regression rules alike.
// `amount` shifts by 30 in the last 5 minutes (drift, schema violations above 35) and is
// missing from every ninth event. Most events of the last minute fail, so the error-rate alert
// fires.
async function postEvents(baseUrl: string): Promise<void> {
  const now = Date.now();
  const events = Array.from({ length: 200 }, (_, index) => {
    const timestamp = now - 600_000 + index * 3000;
    const amount = (index % 10) + (timestamp >= now - 300_000 ? 30 : 0);
    const lastMinute = timestamp >= now - 60_000;
    return {
      stream: 'checkout',
      version: 'v1',
      id: `e${index}`,
      timestamp,
      features: index % 9 === 0 ? {} : { amount },
      prediction: index % 2,
      actual: index % 3 === 0 ? 1 : 0,
      latency_ms: 10 + (index % 20),
      error: lastMinute ? index % 5 !== 0 : index % 10 === 0,
    };
  });
  const stored = await post(`${baseUrl}/api/v1/events`, events);
  if (stored.status !== 200) {
    throw new Error(`POST /api/v1/events returned ${stored.status}: ${await stored.text()}`);
  }
}

// 120 points of `requests`, one every 5 s over the last 10 minutes, with a slow rise and a
// 1-minute seasonal step, and one point that ingest rejects. Then 8 live points 1.2 s apart:
// an anomaly detector scores only points newer than its previous evaluation, so it never
// scores the posted history.
async function postSeries(baseUrl: string): Promise<void> {
  const now = Date.now();
  const points = Array.from({ length: 120 }, (_, index) => ({
    name: 'requests',
    labels: { host: 'web-1' },
    value: 100 + ((index * 5) % 60 > 30 ? 10 : 0) + index * 0.1,
    timestamp: now - 600_000 + index * 5000,
  }));
  const stored = await post(`${baseUrl}/api/v1/series`, points);
  if (stored.status !== 200) {
    throw new Error(`POST /api/v1/series returned ${stored.status}: ${await stored.text()}`);
  }
  await post(`${baseUrl}/api/v1/series`, [{ name: 'requests', value: 'high', timestamp: now }]);

  for (let index = 0; index < 8; index++) {
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const point = { name: 'requests', labels: { host: 'web-1' }, value: 112 + (index % 3) };
    await post(`${baseUrl}/api/v1/series`, [{ ...point, timestamp: Date.now() }]);
  }
}

/** Starts the fixture and waits until Prometheus has scraped the alert and notifications. */
export async function startDashboardFixture(
  influxUrl: string,
  openSearchUrl: string,
): Promise<DashboardFixture> {
  const started = Date.now();
  const directory = mkdtempSync(join(tmpdir(), 'vigil-dashboards-'));
  mkdirSync(join(directory, 'rules'));
  copyFileSync(rulesFile, join(directory, 'rules', 'fixture.yaml'));
  const sink = await startSink();
  writeFileSync(
    join(directory, 'appliance.yaml'),
    applianceConfig(influxUrl, openSearchUrl, sink.url),
  );

  const vigil = await startVigil(join(directory, 'appliance.yaml'));
  await postEvents(vigil.url);
  await post(`${vigil.url}/api/v1/events`, [{ id: 'no-stream', timestamp: Date.now() }]);
  await postSeries(vigil.url);

  const config = join(directory, 'prometheus.yml');
  writeFileSync(config, prometheusConfig(vigil.port));
  const prometheus = await startServer('prometheus', config);
  const stop = async (): Promise<void> => {
    await prometheus.stop();
    await vigil.stop();
    await new Promise((resolve) => sink.server.close(resolve));
  };
  try {
    await waitUntilStored(influxUrl, openSearchUrl, started);
    for (const metric of ['vigil_notifications_failed_total', 'vigil_notification_retries_total']) {
      await eventually(() => instantHas(prometheus.url, metric), `${metric} in Prometheus`, 60_000);
    }
    // rate() and increase() need two samples inside `$__rate_interval`.
    await eventually(
      () => instantHas(prometheus.url, 'count_over_time(up[1m]) >= 5'),
      'five scrapes of Vigil',
      60_000,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { vigil, prometheus, stop };
}

// Wait until the outbox delivered this run's alert documents and anomaly results, because the
// servers may hold documents and points of earlier runs.
async function waitUntilStored(influxUrl: string, openSearchUrl: string, since: number) {
  const firing = {
    query: {
      bool: {
        filter: [
          { term: { transition: 'firing' } },
          { range: { '@timestamp': { gte: since, format: 'epoch_millis' } } },
        ],
      },
    },
  };
  await eventually(
    async () => {
      const response = await post(`${openSearchUrl}/vigil-alerts/_count`, firing);
      const body = (await response.json()) as { count?: number };
      return (body.count ?? 0) > 0 ? true : undefined;
    },
    'a firing alert document in OpenSearch',
    60_000,
  );

  const query =
    "SELECT count(max_score) FROM vigil_results WHERE evaluator = 'anomaly.robust_zscore' " +
    `AND time >= ${since}ms`;
  await eventually(
    async () => {
      const url = `${influxUrl}/query?db=vigil&q=${encodeURIComponent(query)}`;
      const body = (await (await fetch(url)).json()) as { results: Array<{ series?: unknown[] }> };
      return (body.results[0]?.series?.length ?? 0) > 0 ? true : undefined;
    },
    'an anomaly result in InfluxDB',
    60_000,
  );
}

function prometheusConfig(vigilPort: number): string {
  const seconds = `${SCRAPE_INTERVAL_MS / 1000}s`;
  return [
    'global:',
    `  scrape_interval: ${seconds}`,
    'scrape_configs:',
    '  - job_name: vigil',
    '    static_configs:',
    `      - targets: ['127.0.0.1:${vigilPort}']`,
    '',
  ].join('\n');
}

async function instantHas(baseUrl: string, query: string): Promise<true | undefined> {
  const response = await fetch(`${baseUrl}/api/v1/query?query=${encodeURIComponent(query)}`);
  const body = (await response.json()) as { data: { result: unknown[] } };
  return body.data.result.length > 0 ? true : undefined;
}
