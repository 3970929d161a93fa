import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { AuthOptions } from '../../../appliance/http/auth.ts';
import { requiredScope } from '../../../appliance/http/auth.ts';
import { createHttpApp, listen } from '../../../appliance/http/server.ts';
import { Ingestor } from '../../../appliance/ingest/ingestor.ts';
import { createMetrics } from '../../../appliance/metrics/metrics.ts';
import { SqliteStore } from '../../../appliance/store/sqlite-store.ts';
import { ALL_TIME, wireEvent, type JsonResponse } from './app-fixture.ts';

const WRITER = 'w-7f3a9c1e5b2d4f60a8e1c3b5d7f9a2c4';
const READER = 'r-1b2c3d4e5f60718293a4b5c6d7e8f901';

const AUTH: AuthOptions = {
  tokens: [
    { name: 'collector', token: WRITER, scopes: ['ingest'] },
    { name: 'dashboard', token: READER, scopes: ['read'] },
  ],
  openMetrics: false,
  openHealth: true,
};

/** Starts the API with the given auth options and a trace-level logger that keeps every line. */
async function startAuthApp(auth: AuthOptions) {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = pino({ level: 'trace' }, sink);
  const store = SqliteStore.open({ directory: ':memory:' });
  const metrics = createMetrics({ defaultMetrics: false });
  const ingestor = new Ingestor({ store, metrics, logger });
  const app = createHttpApp({
    ingestor,
    metrics,
    logger,
    auth,
    readiness: () => ({ ready: true, checks: {} }),
  });
  const server = await listen(app, '127.0.0.1', 0);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    store,
    lines,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      store.close();
    },
  };
}

async function postEvent(url: string, token?: string): Promise<JsonResponse> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${url}/api/v1/events`, {
    method: 'POST',
    headers,
    body: JSON.stringify(wireEvent(0)),
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

void test('write without token is 401 and stores nothing', async () => {
  const app = await startAuthApp(AUTH);
  try {
    const response = await postEvent(app.url);

    assert.equal(response.status, 401);
    assert.equal(response.body.error.code, 'unauthorized');
    assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="vigil"');
    assert.equal(app.store.queryEvents('bikes', ALL_TIME).length, 0);
  } finally {
    await app.close();
  }
});

void test('write with read-only token is 403', async () => {
  const app = await startAuthApp(AUTH);
  try {
    const response = await postEvent(app.url, READER);

    assert.equal(response.status, 403);
    assert.equal(response.body.error.code, 'forbidden');
    assert.equal(response.body.error.required_scope, 'ingest');
    assert.equal(app.store.queryEvents('bikes', ALL_TIME).length, 0);
  } finally {
    await app.close();
  }
});

void test('token differing in last character is 401', async () => {
  const app = await startAuthApp(AUTH);
  try {
    const nearly = `${WRITER.slice(0, -1)}5`;
    assert.notEqual(nearly, WRITER);
    const response = await postEvent(app.url, nearly);

    assert.equal(response.status, 401);
    assert.equal(app.store.queryEvents('bikes', ALL_TIME).length, 0);
    const log = app.lines.join('');
    assert.ok(!log.includes(nearly), 'the rejected token appears in the log');
    assert.ok(!log.includes(WRITER), 'the configured token appears in the log');
  } finally {
    await app.close();
  }
});

void test('write with ingest token is stored', async () => {
  const app = await startAuthApp(AUTH);
  try {
    const response = await postEvent(app.url, WRITER);

    assert.equal(response.status, 200);
    assert.equal(response.body.stored, 1);
    assert.equal(app.store.queryEvents('bikes', ALL_TIME).length, 1);
    assert.ok(!app.lines.join('').includes(WRITER), 'the token appears in the log');
  } finally {
    await app.close();
  }
});

void test('metrics closed and health open by config', async () => {
  const app = await startAuthApp(AUTH);
  try {
    const metrics = await fetch(`${app.url}/metrics`);
    const metricsWithToken = await fetch(`${app.url}/metrics`, {
      headers: { authorization: `Bearer ${READER}` },
    });
    const health = await fetch(`${app.url}/healthz`);

    assert.equal(metrics.status, 401);
    assert.equal(metricsWithToken.status, 200);
    assert.equal(health.status, 200);
  } finally {
    await app.close();
  }
});

void test('no tokens leaves the API open', async () => {
  const app = await startAuthApp({ tokens: [], openMetrics: false, openHealth: false });
  try {
    const response = await postEvent(app.url);
    const metrics = await fetch(`${app.url}/metrics`);

    assert.equal(response.status, 200);
    assert.equal(metrics.status, 200);
  } finally {
    await app.close();
  }
});

void test('scope of each endpoint', () => {
  const open = { openMetrics: true, openHealth: true };
  const closed = { openMetrics: false, openHealth: false };
  const cases: [string, string, typeof open, string | undefined][] = [
    ['POST', '/api/v1/events', open, 'ingest'],
    ['POST', '/api/v1/actuals', open, 'ingest'],
    ['POST', '/api/v1/series', open, 'ingest'],
    ['GET', '/api/v1/alerts', open, 'read'],
    ['GET', '/api/v2/silences', open, 'read'],
    ['POST', '/api/v2/silences', open, 'admin'],
    ['DELETE', '/api/v2/silence/abc', open, 'admin'],
    ['POST', '/-/reload', open, 'admin'],
    ['GET', '/api/v1/config', open, 'admin'],
    ['GET', '/metrics', open, undefined],
    ['GET', '/metrics', closed, 'read'],
    ['GET', '/healthz', open, undefined],
    ['GET', '/readyz', closed, 'read'],
  ];
  for (const [method, path, options, expected] of cases) {
    assert.equal(requiredScope({ method, path }, options), expected, `${method} ${path}`);
  }
});
