import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SqliteStore } from '../../../appliance/store/sqlite-store.ts';
import type { Store } from '../../../appliance/store/store.ts';
import { ALL_TIME, postJson, startApp, wireEvent } from './app-fixture.ts';

void test('single JSON object is one event', async () => {
  const app = await startApp();
  try {
    const response = await postJson(`${app.url}/api/v1/events`, wireEvent(0));

    assert.equal(response.status, 200);
    assert.deepEqual(response.body, {
      received: 1,
      stored: 1,
      duplicates: 0,
      duplicate_indexes: [],
      rejected: [],
    });
  } finally {
    await app.close();
  }
});

void test('actuals endpoint joins by event id', async () => {
  const app = await startApp();
  try {
    await postJson(`${app.url}/api/v1/events`, [wireEvent(0)]);
    const response = await postJson(`${app.url}/api/v1/actuals`, [
      { stream: 'bikes', id: 'e0', actual: 120 },
      { stream: 'bikes', id: 'nope', actual: 1 },
    ]);

    assert.equal(response.status, 200);
    assert.equal(response.body.updated, 1);
    assert.deepEqual(response.body.not_found_indexes, [1]);
    assert.equal(app.store.queryEvents('bikes', ALL_TIME)[0]!.actual, 120);
  } finally {
    await app.close();
  }
});

void test('series endpoint stores points from NDJSON', async () => {
  const app = await startApp();
  try {
    const body = '{"name":"mentions","labels":{"ticker":"AAPL"},"value":4,"timestamp":0}\n';
    const response = await postJson(`${app.url}/api/v1/series`, body, 'application/x-ndjson');

    assert.equal(response.status, 200);
    assert.equal(response.body.stored, 1);
    assert.equal(app.store.queryPoints('mentions', {}, ALL_TIME).length, 1);
  } finally {
    await app.close();
  }
});

void test('store failure is answered 503', async () => {
  const real = SqliteStore.open({ directory: ':memory:' });
  const store = Object.assign(Object.create(real) as Store, {
    insertEvents: () => {
      throw new Error('disk I/O error');
    },
    close: () => real.close(),
  });
  const app = await startApp({ store });
  try {
    const response = await postJson(`${app.url}/api/v1/events`, [wireEvent(0)]);

    assert.equal(response.status, 503);
    assert.equal(response.body.error.code, 'store_unavailable');
    assert.match(response.body.error.message, /disk I\/O error/);
  } finally {
    await app.close();
  }
});

void test('healthz, readyz and metrics answer', async () => {
  const app = await startApp();
  try {
    await postJson(`${app.url}/api/v1/events`, [wireEvent(0)]);
    const health = await fetch(`${app.url}/healthz`);
    const ready = await fetch(`${app.url}/readyz`);
    const metrics = await fetch(`${app.url}/metrics`);
    const text = await metrics.text();

    assert.equal(health.status, 200);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { ready: true, checks: { store: 'ok', rules: 'ok' } });
    assert.match(metrics.headers.get('content-type') ?? '', /text\/plain/);
    assert.match(text, /vigil_events_received_total\{stream="bikes"\} 1/);
    assert.match(text, /vigil_ingest_queue_depth 0/);
  } finally {
    await app.close();
  }
});

void test('unknown path is answered 404 as JSON', async () => {
  const app = await startApp();
  try {
    const response = await fetch(`${app.url}/api/v1/nothing`);
    const body = (await response.json()) as { error: { code: string } };

    assert.equal(response.status, 404);
    assert.equal(body.error.code, 'not_found');
  } finally {
    await app.close();
  }
});

void test('gzip bodies are answered 415', async () => {
  const app = await startApp();
  try {
    const response = await fetch(`${app.url}/api/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: '[]',
    });

    assert.equal(response.status, 415);
  } finally {
    await app.close();
  }
});
