import { test } from 'node:test';
import assert from 'node:assert/strict';

import { buildPayload } from '../../../appliance/alerting/alertmanager-payload.ts';
import { WebhookReceiver } from '../../../appliance/alerting/webhook-receiver.ts';
import type { ReceiverConfig } from '../../../appliance/config/config.ts';
import { silentLogger } from '../../../appliance/log/logger.ts';
import { createMetrics, type VigilMetrics } from '../../../appliance/metrics/metrics.ts';
import { TestWebhookServer } from './webhook-server.ts';

function receiverConfig(url: string, maxAttempts = 4): ReceiverConfig {
  return {
    name: 'ops',
    kind: 'webhook',
    url,
    timeoutMs: 2000,
    maxAttempts,
    initialBackoffMs: 1,
    maxBackoffMs: 4,
  };
}

const payload = buildPayload({
  receiver: 'ops',
  groupLabels: { alertname: 'HighX' },
  externalUrl: 'http://127.0.0.1:9680',
  alerts: [
    {
      status: 'firing',
      labels: { alertname: 'HighX' },
      annotations: {},
      startsAt: '2011-01-01T00:00:00.000Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://127.0.0.1:9680/api/v1/rules',
      fingerprint: '0123456789abcdef',
    },
  ],
});

async function counter(metrics: VigilMetrics, name: string): Promise<number> {
  const metric = await metrics.registry.getSingleMetric(name)?.get();
  return metric?.values.find((value) => value.labels.receiver === 'ops')?.value ?? 0;
}

void test('webhook retries 500 twice then delivers once', async () => {
  const server = new TestWebhookServer([500, 500]);
  const url = await server.start();
  const metrics = createMetrics({ defaultMetrics: false });
  const receiver = new WebhookReceiver({
    config: receiverConfig(url),
    metrics,
    logger: silentLogger(),
  });

  try {
    const result = await receiver.send(payload);

    assert.equal(result.delivered, true);
    assert.equal(result.attempts, 3);
    assert.equal(result.status, 200);
    assert.equal(server.bodies.length, 3);
    assert.deepEqual(server.bodies[2], payload);
    assert.equal(await counter(metrics, 'vigil_notifications_sent_total'), 1);
    assert.equal(await counter(metrics, 'vigil_notification_retries_total'), 2);
    assert.equal(await counter(metrics, 'vigil_notifications_failed_total'), 0);
  } finally {
    await server.stop();
  }
});

void test('webhook does not retry a 400', async () => {
  const server = new TestWebhookServer([400]);
  const url = await server.start();
  const metrics = createMetrics({ defaultMetrics: false });
  const receiver = new WebhookReceiver({
    config: receiverConfig(url),
    metrics,
    logger: silentLogger(),
  });

  try {
    const result = await receiver.send(payload);

    assert.equal(result.delivered, false);
    assert.equal(result.attempts, 1);
    assert.equal(result.status, 400);
    assert.equal(await counter(metrics, 'vigil_notifications_failed_total'), 1);
    assert.equal(await counter(metrics, 'vigil_notification_retries_total'), 0);
  } finally {
    await server.stop();
  }
});

void test('webhook retries 429 and gives up after maxAttempts', async () => {
  const server = new TestWebhookServer([429, 503, 500]);
  const url = await server.start();
  const metrics = createMetrics({ defaultMetrics: false });
  const receiver = new WebhookReceiver({
    config: receiverConfig(url, 3),
    metrics,
    logger: silentLogger(),
  });

  try {
    const result = await receiver.send(payload);

    assert.equal(result.delivered, false);
    assert.equal(result.attempts, 3);
    assert.equal(result.status, 500);
    assert.equal(server.bodies.length, 3);
    assert.equal(await counter(metrics, 'vigil_notification_retries_total'), 2);
    assert.equal(await counter(metrics, 'vigil_notifications_failed_total'), 1);
  } finally {
    await server.stop();
  }
});

void test('webhook retries a refused connection', async () => {
  const server = new TestWebhookServer();
  const url = await server.start();
  await server.stop();
  const metrics = createMetrics({ defaultMetrics: false });
  const receiver = new WebhookReceiver({
    config: receiverConfig(url, 2),
    metrics,
    logger: silentLogger(),
  });

  const result = await receiver.send(payload);

  assert.equal(result.delivered, false);
  assert.equal(result.attempts, 2);
  assert.equal(result.status, 0);
  assert.equal(await counter(metrics, 'vigil_notification_retries_total'), 1);
});

test('receiver counters start at zero', async () => {
  const metrics = createMetrics({ defaultMetrics: false });
  new WebhookReceiver({
    config: receiverConfig('http://127.0.0.1:1/unused'),
    metrics,
    logger: silentLogger(),
  });

  const text = await metrics.registry.metrics();
  assert.match(text, /^vigil_notifications_sent_total\{receiver="[^"]+"\} 0$/m);
  assert.match(text, /^vigil_notifications_failed_total\{receiver="[^"]+"\} 0$/m);
  assert.match(text, /^vigil_notification_retries_total\{receiver="[^"]+"\} 0$/m);
});
