import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';

import { silentLogger } from '../../../appliance/log/logger.ts';
import { createCollectorMetrics } from '../../../collectors/collector-metrics.ts';
import { PollingLoop } from '../../../collectors/polling-loop.ts';

function loopWith(step: () => Promise<void>) {
  const registry = new Registry();
  const metrics = createCollectorMetrics(registry);
  const loop = new PollingLoop({
    name: 'source',
    intervalMs: 60_000,
    step,
    logger: silentLogger(),
    metrics,
    now: () => 5_000,
  });
  return { loop, registry };
}

test('failed reads count up and a success resets them', async () => {
  let calls = 0;
  const { loop, registry } = loopWith(async () => {
    calls += 1;
    if (calls <= 2) throw new Error(`source down (${calls})`);
  });

  await loop.runOnce();
  await loop.runOnce();
  const failing = loop.health();
  assert.equal(failing.state, 'backoff');
  assert.equal(failing.consecutiveFailures, 2);
  assert.equal(failing.lastError, 'source down (2)');
  assert.equal(failing.lastSuccessMs, null);

  await loop.runOnce();
  const healthy = loop.health();
  assert.equal(healthy.consecutiveFailures, 0);
  assert.equal(healthy.lastError, null);
  assert.equal(healthy.lastSuccessMs, 5_000);

  const text = await registry.metrics();
  assert.match(text, /vigil_collector_failures_total\{collector="source"\} 2/);
  assert.match(text, /vigil_collector_last_success_timestamp_seconds\{collector="source"\} 5/);
});

test('stop waits for the read in flight', async () => {
  let finished = false;
  const { loop } = loopWith(async () => {
    await new Promise((resolve) => setImmediate(resolve));
    finished = true;
  });
  loop.start();
  await new Promise((resolve) => setTimeout(resolve, 5));
  await loop.stop();
  assert.equal(finished, true);
  assert.equal(loop.health().state, 'stopped');
});
