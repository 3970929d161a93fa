import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { pino } from 'pino';

import { Ingestor } from '../../../appliance/ingest/ingestor.ts';
import { silentLogger } from '../../../appliance/log/logger.ts';
import { createMetrics } from '../../../appliance/metrics/metrics.ts';
import { SqliteStore } from '../../../appliance/store/sqlite-store.ts';
import { createCollectorMetrics } from '../../../collectors/collector-metrics.ts';
import {
  HttpPollCollector,
  type HttpPollOptions,
} from '../../../collectors/http-poll-collector.ts';
import { parseMapping } from '../../../collectors/mapping.ts';

const ALL_TIME = { from: 0, to: Number.MAX_SAFE_INTEGER };

interface Fixture {
  url: string;
  server: Server;
  requests: IncomingMessage[];
}

async function serve(
  answer: (request: IncomingMessage, count: number) => [number, unknown],
): Promise<Fixture> {
  const requests: IncomingMessage[] = [];
  const server = createServer((request, response) => {
    requests.push(request);
    const [status, body] = answer(request, requests.length);
    response.statusCode = status;
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/mentions`, server, requests };
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

function setup(options: Partial<HttpPollOptions> & { url: string }) {
  let clock = 0;
  const store = SqliteStore.open({ directory: ':memory:' });
  const metrics = createMetrics({ defaultMetrics: false });
  const ingestor = new Ingestor({ store, metrics, logger: silentLogger() });
  const mapping = parseMapping(
    {
      fields: { id: 'id', timestamp: 'created_ms', 'features.text': 'text', prediction: 'score' },
      constants: { stream: 'mentions' },
    },
    'events',
  ).mapping!;
  const collector = new HttpPollCollector(
    {
      name: 'feed',
      intervalMs: 60_000,
      timeoutMs: 1_000,
      headers: { authorization: 'Bearer secret-token' },
      itemsPath: 'data.items',
      cursorPath: 'data.next',
      idPath: 'id',
      mode: 'events',
      mapping,
      ...options,
    },
    {
      ingest: ingestor,
      logger: silentLogger(),
      metrics: createCollectorMetrics(metrics.registry),
      now: () => (clock += 60_000),
    },
  );
  return { store, collector };
}

function item(id: string, text = 'vigil rocks') {
  return { id, created_ms: 1_000, text, score: 1 };
}

test('poll backs off on 500 then ingests only new items', async () => {
  const fixture = await serve((request, count) => {
    if (count <= 3) return [500, { error: 'down' }];
    const cursor = new URL(request.url!, 'http://x').searchParams.get('cursor');
    if (count <= 5) {
      if (cursor === 'p2') return [200, { data: { items: [item('c')], next: '' } }];
      return [200, { data: { items: [item('a'), item('b')], next: 'p2' } }];
    }
    return [200, { data: { items: [item('d'), item('a')], next: 'p2' } }];
  });
  const { store, collector } = setup({ url: fixture.url });

  for (let i = 0; i < 3; i++) await collector.runOnce();
  const failing = collector.health();
  assert.equal(failing.state, 'backoff');
  assert.equal(failing.consecutiveFailures, 3);
  assert.match(failing.lastError!, /HTTP status 500/);
  assert.doesNotMatch(failing.lastError!, /secret-token/);

  await collector.runOnce();
  await collector.runOnce();
  await close(fixture.server);

  assert.equal(collector.health().consecutiveFailures, 0);
  const ids = store
    .queryEvents('mentions', ALL_TIME)
    .map((event) => event.id)
    .sort();
  assert.deepEqual(ids, ['a', 'b', 'c', 'd']);
  // Request 5 follows the first page's cursor; the last poll then reads page 1 and page 2.
  assert.equal(fixture.requests[0]!.headers.authorization, 'Bearer secret-token');
  assert.equal(fixture.requests[4]!.url, '/mentions?cursor=p2');
});

test('count mode stores matching new items as one point', async () => {
  let poll = 0;
  const fixture = await serve(() => {
    poll += 1;
    const items =
      poll === 1
        ? [item('1', 'Vigil is great'), item('2', 'other'), item('3', 'VIGIL')]
        : [item('3', 'VIGIL'), item('4', 'vigil again')];
    return [200, { data: { items } }];
  });
  const { store, collector } = setup({
    url: fixture.url,
    mode: 'count',
    count: {
      series: 'mentions_total',
      textPath: 'text',
      keywords: ['vigil'],
      labels: { source: 'feed' },
    },
  });

  await collector.runOnce();
  await collector.runOnce();
  await close(fixture.server);

  const series = store.queryPoints('mentions_total', { source: 'feed' }, ALL_TIME);
  assert.equal(series.length, 1);
  assert.deepEqual(series[0]!.values, [2, 1]);
});

/** Polls `url` once in count mode with a logger that keeps every line; returns the log text. */
async function pollOnceLogged(options: Partial<HttpPollOptions> & { url: string }) {
  const lines: string[] = [];
  const logger = pino({ level: 'trace' }, { write: (line: string) => lines.push(line) });
  const store = SqliteStore.open({ directory: ':memory:' });
  const metrics = createMetrics({ defaultMetrics: false });
  const collector = new HttpPollCollector(
    {
      name: 'feed',
      intervalMs: 60_000,
      timeoutMs: 1_000,
      headers: {},
      itemsPath: '',
      idPath: 'id',
      mode: 'count',
      count: { series: 'mentions_total', textPath: 'text', keywords: [] },
      ...options,
    },
    {
      ingest: new Ingestor({ store, metrics, logger: silentLogger() }),
      logger,
      metrics: createCollectorMetrics(metrics.registry),
    },
  );

  await collector.start();
  await collector.runOnce();
  await collector.stop();
  return lines.join('');
}

test('poll logs never contain the token', async () => {
  const fixture = await serve(() => [500, { error: 'token secret-token rejected' }]);

  const output = await pollOnceLogged({
    url: `${fixture.url}?api_key=secret-token`,
    headers: { authorization: 'Bearer secret-token' },
  });
  await close(fixture.server);

  assert.match(output, /collector read failed/);
  assert.match(output, /collector started/);
  assert.doesNotMatch(output, /secret-token/);
});

test('URL credentials are sent, never logged', async () => {
  let authorization: string | undefined;
  const fixture = await serve((request) => {
    authorization = request.headers.authorization;
    return [200, { data: { items: [] } }];
  });
  const withUser = new URL(fixture.url);
  withUser.username = 'reader';
  withUser.password = 'hunter2-secret';

  const output = await pollOnceLogged({ url: withUser.href, itemsPath: 'data.items' });
  await close(fixture.server);

  assert.match(output, /collector started/);
  assert.ok(output.includes(`"url":"${fixture.url}"`), output);
  assert.doesNotMatch(output, /hunter2-secret/);
  assert.doesNotMatch(output, /reader/);
  assert.doesNotMatch(output, /collector read failed/);
  const expected = `Basic ${Buffer.from('reader:hunter2-secret').toString('base64')}`;
  assert.equal(authorization, expected);
});
