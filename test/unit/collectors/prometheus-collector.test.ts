import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { Ingestor } from '../../../appliance/ingest/ingestor.ts';
import { silentLogger } from '../../../appliance/log/logger.ts';
import { createMetrics } from '../../../appliance/metrics/metrics.ts';
import { SqliteStore } from '../../../appliance/store/sqlite-store.ts';
import { createCollectorMetrics } from '../../../collectors/collector-metrics.ts';
import { PrometheusCollector } from '../../../collectors/prometheus-collector.ts';

const ALL_TIME = { from: 0, to: Number.MAX_SAFE_INTEGER };

async function serve(
  handler: Parameters<typeof createServer>[1],
): Promise<{ url: string; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/metrics`, server };
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

// A generous timeout by default: on a loaded machine a local scrape can take longer than 200 ms,
// and a timed-out scrape would read as a wrong rate. Only the timeout test passes a short one.
function setup(targets: string[], clock: { now: number }, timeoutMs = 5_000) {
  const store = SqliteStore.open({ directory: ':memory:' });
  const metrics = createMetrics({ defaultMetrics: false });
  const ingestor = new Ingestor({ store, metrics, logger: silentLogger() });
  const collector = new PrometheusCollector(
    {
      name: 'model',
      targets,
      intervalMs: 10_000,
      timeoutMs,
      drop: [{ name: 'debug_.*' }],
    },
    {
      ingest: ingestor,
      logger: silentLogger(),
      metrics: createCollectorMetrics(metrics.registry),
      now: () => clock.now,
    },
  );
  return { store, collector };
}

function values(store: SqliteStore, name: string, instance?: string): number[] {
  const matchers: Record<string, string> = instance === undefined ? {} : { instance };
  return store.queryPoints(name, matchers, ALL_TIME).flatMap((series) => series.values);
}

test('html and slow targets are down with the reason', async () => {
  const html = await serve((_request, response) => {
    response.setHeader('content-type', 'text/html');
    response.end('<html><body>login</body></html>');
  });
  const slow = await serve((_request, response) => {
    setTimeout(() => response.end('x 1\n'), 2_000).unref();
  });
  const clock = { now: 1_000_000 };
  const { store, collector } = setup([html.url, slow.url], clock, 200);

  await collector.scrapeAll();
  await close(html.server);
  await close(slow.server);

  const [htmlStatus, slowStatus] = collector.targets();
  assert.equal(htmlStatus!.up, false);
  assert.match(htmlStatus!.reason!, /unexpected content type "text\/html"/);
  assert.equal(slowStatus!.up, false);
  assert.match(slowStatus!.reason!, /timed out after 200 ms/);
  assert.deepEqual(values(store, 'up', new URL(html.url).host), [0]);
  assert.deepEqual(values(store, 'up', new URL(slow.url).host), [0]);
});

test('counter rate stays correct across a reset', async () => {
  const readings = [100, 160, 20];
  let scrape = 0;
  const target = await serve((_request, response) => {
    response.setHeader('content-type', 'text/plain; version=0.0.4');
    const value = readings[scrape] ?? 0;
    response.end(
      `# TYPE requests_total counter\nrequests_total ${value}\ndebug_value 1\n` +
        `# TYPE latency_seconds histogram\n` +
        `latency_seconds_bucket{le="0.1"} ${value / 2}\nlatency_seconds_bucket{le="+Inf"} ${value}\n` +
        `latency_seconds_sum 1\nlatency_seconds_count ${value}\n`,
    );
  });
  const clock = { now: 1_000_000 };
  const { store, collector } = setup([target.url], clock);

  for (scrape = 0; scrape < readings.length; scrape++) {
    await collector.scrapeAll();
    clock.now += 10_000;
  }
  await close(target.server);

  assert.deepEqual(values(store, 'up'), [1, 1, 1]);
  // 60 requests in 10 s, then a restart with 20 counted since: 20 in 10 s.
  assert.deepEqual(values(store, 'requests_total:rate'), [6, 2]);
  assert.deepEqual(values(store, 'latency_seconds_count:rate'), [6, 2]);
  assert.deepEqual(values(store, 'latency_seconds:p50'), [0.1, 0.1]);
  assert.deepEqual(values(store, 'debug_value'), []);
  assert.equal(values(store, 'scrape_duration_seconds').length, 3);
});
