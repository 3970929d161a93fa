import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { ALL_TIME, postJson, startApp, wireEvent } from './app-fixture.ts';

void test('non-JSON body is answered 400 with the position', async () => {
  const app = await startApp();
  try {
    const response = await postJson(`${app.url}/api/v1/events`, '{"stream": "bikes", oops}');

    assert.equal(response.status, 400);
    assert.equal(response.body.error.code, 'invalid_json');
    assert.match(response.body.error.message, /line 1, column \d+/);
    assert.deepEqual(app.store.listStreams(), []);
  } finally {
    await app.close();
  }
});

void test('non-JSON NDJSON line is rejected with its line number', async () => {
  const app = await startApp();
  try {
    const body = [JSON.stringify(wireEvent(0)), 'not json', JSON.stringify(wireEvent(2))].join(
      '\n',
    );
    const response = await postJson(`${app.url}/api/v1/events`, body, 'application/x-ndjson');

    assert.equal(response.status, 200);
    assert.equal(response.body.stored, 2);
    assert.equal(response.body.rejected.length, 1);
    assert.equal(response.body.rejected[0].index, 1);
    assert.equal(response.body.rejected[0].line, 2);
    assert.match(response.body.rejected[0].reason, /line 2 is not valid JSON/);
  } finally {
    await app.close();
  }
});

void test('NDJSON body with no valid line is answered 400', async () => {
  const app = await startApp();
  try {
    const response = await postJson(`${app.url}/api/v1/events`, 'x\ny\n', 'application/x-ndjson');

    assert.equal(response.status, 400);
    assert.equal(response.body.error.code, 'no_valid_rows');
    assert.deepEqual(
      response.body.error.rejected.map((r: { line: number }) => r.line),
      [1, 2],
    );
  } finally {
    await app.close();
  }
});

void test('10,000 events with two bad rows store the other 9,998', async () => {
  const app = await startApp();
  try {
    const events: Record<string, unknown>[] = [];
    for (let i = 0; i < 10_000; i++) {
      events.push(wireEvent(i));
    }
    events[17]!.latency_ms = 'fast';
    delete events[9001]!.timestamp;

    const response = await postJson(`${app.url}/api/v1/events`, events);

    assert.equal(response.status, 200);
    assert.equal(response.body.received, 10_000);
    assert.equal(response.body.stored, 9_998);
    const rejected = response.body.rejected.map((r: { index: number; field: string }) => [
      r.index,
      r.field,
    ]);
    assert.deepEqual(rejected, [
      [17, 'latency_ms'],
      [9001, 'timestamp'],
    ]);
    assert.equal(response.body.rejected[0].value, '"fast"');
    assert.equal(app.store.queryEvents('bikes', ALL_TIME).length, 9_998);
  } finally {
    await app.close();
  }
});

void test('NaN and Infinity strings in a feature are rejected', async () => {
  const app = await startApp();
  try {
    const events = [
      wireEvent(0, { features: { temp: 'NaN' } }),
      wireEvent(1, { features: { temp: 'Infinity' } }),
      wireEvent(2, { features: { temp: '-inf' } }),
      wireEvent(3, { features: { temp: 'nan' } }),
      wireEvent(4),
    ];
    const response = await postJson(`${app.url}/api/v1/events`, events);

    assert.equal(response.status, 200);
    assert.equal(response.body.stored, 1);
    const rejected = response.body.rejected;
    assert.deepEqual(
      rejected.map((r: { index: number }) => r.index),
      [0, 1, 2, 3],
    );
    for (const rejection of rejected) {
      assert.equal(rejection.field, 'features.temp');
      assert.equal(rejection.code, 'invalid_feature');
      assert.match(rejection.reason, /send null for a missing value or a finite number/);
    }
  } finally {
    await app.close();
  }
});

void test('number overflowing to Infinity in a feature is rejected', async () => {
  const app = await startApp();
  try {
    const text = JSON.stringify([wireEvent(0, { features: { temp: '__BIG__' } })]).replace(
      '"__BIG__"',
      '1e999',
    );
    const response = await postJson(`${app.url}/api/v1/events`, text);

    assert.equal(response.status, 400);
    assert.equal(response.body.error.rejected[0].field, 'features.temp');
    assert.match(response.body.error.rejected[0].reason, /non-finite number/);
  } finally {
    await app.close();
  }
});

void test('feature named __proto__ is stored as an ordinary feature', async () => {
  const app = await startApp();
  try {
    const text =
      '[{"stream":"bikes","id":"p1","timestamp":0,"prediction":1,"features":{"__proto__":5,"constructor":"x"}}]';
    const response = await postJson(`${app.url}/api/v1/events`, text);

    assert.equal(response.status, 200);
    assert.equal(response.body.stored, 1);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.getPrototypeOf({}), Object.prototype);
    const [stored] = app.store.queryEvents('bikes', ALL_TIME);
    assert.ok(Object.hasOwn(stored!.features, '__proto__'));
    assert.equal(stored!.features['__proto__'], 5);
    assert.equal(stored!.features['constructor'], 'x');
  } finally {
    await app.close();
  }
});

void test('feature __proto__ holding an object changes no prototype', async () => {
  const app = await startApp();
  try {
    const text =
      '[{"stream":"bikes","id":"p2","timestamp":0,"prediction":1,"features":{"__proto__":{"polluted":true}}}]';
    const response = await postJson(`${app.url}/api/v1/events`, text);

    assert.equal(response.status, 400);
    assert.equal(response.body.error.rejected[0].field, 'features.__proto__');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  } finally {
    await app.close();
  }
});

void test('timestamp in year 10000 is rejected', async () => {
  const app = await startApp();
  try {
    const events = [
      wireEvent(0, { timestamp: '10000-01-01T00:00:00Z' }),
      wireEvent(1, { timestamp: 253402300800000 }),
    ];
    const response = await postJson(`${app.url}/api/v1/events`, events);

    assert.equal(response.status, 400);
    const rejected = response.body.error.rejected;
    assert.equal(rejected.length, 2);
    for (const rejection of rejected) {
      assert.equal(rejection.field, 'timestamp');
      assert.equal(rejection.code, 'invalid_timestamp');
      assert.match(rejection.reason, /1970 to 9999/);
    }
  } finally {
    await app.close();
  }
});

void test('50 MB body is answered 413 and the server keeps serving', async () => {
  const app = await startApp();
  try {
    const status = await postLargeBody(`${app.url}/api/v1/events`, 50 * 1024 * 1024);
    assert.equal(status, 413);

    const health = await fetch(`${app.url}/healthz`);
    assert.equal(health.status, 200);
    const after = await postJson(`${app.url}/api/v1/events`, [wireEvent(0)]);
    assert.equal(after.status, 200);
    assert.equal(after.body.stored, 1);
  } finally {
    await app.close();
  }
});

void test('50 MB chunked body without a length is answered 413', async () => {
  const app = await startApp();
  try {
    const status = await postLargeBody(`${app.url}/api/v1/events`, 50 * 1024 * 1024, false);
    assert.equal(status, 413);
    assert.equal((await fetch(`${app.url}/healthz`)).status, 200);
  } finally {
    await app.close();
  }
});

void test('wrong content type is answered 415', async () => {
  const app = await startApp();
  try {
    const response = await postJson(
      `${app.url}/api/v1/events`,
      JSON.stringify([wireEvent(0)]),
      'text/plain',
    );

    assert.equal(response.status, 415);
    assert.equal(response.body.error.code, 'unsupported_media_type');
    assert.match(response.body.error.message, /application\/x-ndjson/);
    assert.deepEqual(app.store.listStreams(), []);
  } finally {
    await app.close();
  }
});

void test('full ingest queue is answered 429 with Retry-After', async () => {
  const held: (() => void)[] = [];
  const app = await startApp({
    ingestor: {
      limits: { maxQueueRecords: 3, maxBatchRecords: 3 },
      schedule: (drain) => held.push(drain),
    },
  });
  try {
    const first = postJson(`${app.url}/api/v1/events`, [wireEvent(0), wireEvent(1)]);
    await waitFor(() => app.ingestor.queueDepth === 2);

    const second = await postJson(`${app.url}/api/v1/events`, [wireEvent(2), wireEvent(3)]);
    assert.equal(second.status, 429);
    assert.equal(second.headers.get('retry-after'), '1');
    assert.equal(second.body.error.code, 'queue_full');

    held.shift()!();
    const answered = await first;
    assert.equal(answered.status, 200);
    assert.equal(answered.body.stored, 2);
    assert.equal(app.store.queryEvents('bikes', ALL_TIME).length, 2);
  } finally {
    await app.close();
  }
});

void test('duplicate ids are acknowledged and stored once', async () => {
  const app = await startApp();
  try {
    const first = await postJson(`${app.url}/api/v1/events`, [
      wireEvent(0),
      wireEvent(1),
      wireEvent(0),
    ]);
    assert.equal(first.status, 200);
    assert.equal(first.body.stored, 2);
    assert.equal(first.body.duplicates, 1);
    assert.deepEqual(first.body.duplicate_indexes, [2]);

    const again = await postJson(`${app.url}/api/v1/events`, [wireEvent(1), wireEvent(5)]);
    assert.equal(again.status, 200);
    assert.equal(again.body.stored, 1);
    assert.deepEqual(again.body.duplicate_indexes, [0]);
    assert.equal(app.store.queryEvents('bikes', ALL_TIME).length, 3);

    const metrics = await app.metrics.registry.getSingleMetricAsString(
      'vigil_events_received_total',
    );
    assert.match(metrics, /vigil_events_received_total\{stream="bikes"\} 3/);
  } finally {
    await app.close();
  }
});

/** Sends `bytes` of JSON-ish data and returns the status, without buffering a 50 MB string. */
function postLargeBody(url: string, bytes: number, withLength = true): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { 'content-type': 'application/json' };
    if (withLength) {
      headers['content-length'] = bytes;
    }
    const req = request(url, { method: 'POST', headers }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    req.on('error', reject);

    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    let sent = 0;
    const write = () => {
      while (sent < bytes) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', write);
          return;
        }
      }
      req.end();
    };
    write();
  });
}

async function waitFor(condition: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 500 && !condition(); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  assert.ok(condition(), 'condition not reached');
}
