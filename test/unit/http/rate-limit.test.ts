import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { RateLimiter } from '../../../appliance/http/rate-limit.ts';
import { createHttpApp, listen } from '../../../appliance/http/server.ts';
import { Ingestor } from '../../../appliance/ingest/ingestor.ts';
import { silentLogger } from '../../../appliance/log/logger.ts';
import { createMetrics } from '../../../appliance/metrics/metrics.ts';
import { SqliteStore } from '../../../appliance/store/sqlite-store.ts';

test('bucket allows burst then waits', () => {
  let now = 0;
  const limiter = new RateLimiter({ requestsPerSecond: 0.5, burst: 2, now: () => now });

  assert.equal(limiter.take('a'), 0);
  assert.equal(limiter.take('a'), 0);
  assert.equal(limiter.take('a'), 2);
  assert.equal(limiter.take('b'), 0, 'another client has its own bucket');

  now = 1_000;
  assert.equal(limiter.take('a'), 1);
  now = 2_000;
  assert.equal(limiter.take('a'), 0);
  assert.equal(limiter.take('a'), 2);
});

test('bucket never holds more than burst', () => {
  let now = 0;
  const limiter = new RateLimiter({ requestsPerSecond: 10, burst: 3, now: () => now });
  now = 3_600_000;
  const results = [1, 2, 3, 4].map(() => limiter.take('a'));

  assert.deepEqual(results, [0, 0, 0, 1]);
});

test('tracked clients are bounded', () => {
  const limiter = new RateLimiter({ requestsPerSecond: 1, burst: 1, now: () => 0, maxClients: 2 });
  assert.equal(limiter.take('a'), 0);
  assert.equal(limiter.take('b'), 0);
  assert.equal(limiter.take('c'), 0);

  assert.equal(limiter.take('a'), 0, 'the oldest bucket was dropped and starts full');
  assert.equal(limiter.take('c'), 1);
});

test('invalid rate limit options are rejected', () => {
  assert.throws(() => new RateLimiter({ requestsPerSecond: 0, burst: 1 }), /above 0/);
  assert.throws(() => new RateLimiter({ requestsPerSecond: 1, burst: 0.5 }), /at least 1/);
});

test('request past the limit is 429 with Retry-After', async () => {
  const store = SqliteStore.open({ directory: ':memory:' });
  const metrics = createMetrics({ defaultMetrics: false });
  const logger = silentLogger();
  const app = createHttpApp({
    ingestor: new Ingestor({ store, metrics, logger }),
    metrics,
    logger,
    rateLimit: { requestsPerSecond: 0.001, burst: 2 },
    readiness: () => ({ ready: true, checks: {} }),
  });
  const server = await listen(app, '127.0.0.1', 0);
  const { port } = server.address() as AddressInfo;
  try {
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 3; i += 1) {
      last = await fetch(`http://127.0.0.1:${port}/healthz`);
      statuses.push(last.status);
    }
    const body = (await last!.json()) as { error: { code: string } };

    assert.deepEqual(statuses, [200, 200, 429]);
    assert.equal(last!.headers.get('retry-after'), '1000');
    assert.equal(body.error.code, 'rate_limited');
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    store.close();
  }
});
