import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { eventually, postCheckoutEvents } from './process-helpers.ts';
import { startServer, startVigil, type StartedServer, type StartedVigil } from './servers.ts';

// A running Vigil that writes to real InfluxDB and OpenSearch and that Prometheus scrapes, fed
// so that the dashboards' panels have data: a firing error-rate alert on `checkout`, an
// anomaly rule on the series `requests`, one rejected event and one rejected point, and two
// receivers, one that accepts notifications and one that returns 500.

export const SCRAPE_INTERVAL_MS = 1000;

const rules = `version: 1
groups:
  - name: service-health
    interval: 1s
    rules:
      - alert: ServiceErrorRateHigh
        evaluator: ops.error_rate
        stream: checkout
        window: 1m
        when: value > 0.5
        labels:
          severity: critical
        annotations:
          summary: '{{ $labels.stream }} fails {{ $value | humanizePercentage }} of requests'
  - name: traffic
    interval: 1s
    rules:
      - alert: RequestsAnomaly
        evaluator: anomaly.robust_zscore
        series: { name: requests }
        params: { min_points: 5 }
        window: 10m
        when: value > 100
        labels:
          severity: warning
`;

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

// Sixty points of `requests`, one a second up to now, and one point that ingest rejects.
async function postSeries(baseUrl: string): Promise<void> {
  const now = Date.now();
  const points = Array.from({ length: 60 }, (_, index) => ({
    name: 'requests',
    labels: { host: 'web-1' },
    value: 100 + (index % 7),
    timestamp: now - (60 - index) * 1000,
  }));
  const stored = await post(`${baseUrl}/api/v1/series`, points);
  if (stored.status !== 200) throw new Error(`POST /api/v1/series: ${stored.status}`);
  await post(`${baseUrl}/api/v1/series`, [{ name: 'requests', value: 'high', timestamp: now }]);
}

/** Starts the fixture and waits until Prometheus has scraped the alert and notifications. */
export async function startDashboardFixture(
  influxUrl: string,
  openSearchUrl: string,
): Promise<DashboardFixture> {
  const started = Date.now();
  const directory = mkdtempSync(join(tmpdir(), 'vigil-dashboards-'));
  mkdirSync(join(directory, 'rules'));
  writeFileSync(join(directory, 'rules', 'fixture.yaml'), rules);
  const sink = await startSink();
  writeFileSync(
    join(directory, 'appliance.yaml'),
    applianceConfig(influxUrl, openSearchUrl, sink.url),
  );

  const vigil = await startVigil(join(directory, 'appliance.yaml'));
  await postCheckoutEvents(vigil.url, { first: Date.now() });
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
