import { test } from 'node:test';
import assert from 'node:assert/strict';

import type { Alert } from '../../../appliance/alerting/alert.ts';
import type { WebhookPayload } from '../../../appliance/alerting/alertmanager-payload.ts';
import { Notifier, type Receiver } from '../../../appliance/alerting/notifier.ts';
import type { DeliveryResult } from '../../../appliance/alerting/webhook-receiver.ts';
import { silentLogger } from '../../../appliance/log/logger.ts';
import { createMetrics } from '../../../appliance/metrics/metrics.ts';
import { TestWebhookServer } from './webhook-server.ts';

const HOUR = 3_600_000;
const T0 = Date.UTC(2011, 0, 1);

function alert(status: Alert['status'], feature: string, fingerprint: string): Alert {
  return {
    status,
    labels: { alertname: 'Drift', feature, severity: 'warning' },
    annotations: { summary: `drift on ${feature}`, runbook: 'docs/drift.md' },
    startsAt: '2011-01-01T00:00:00.000Z',
    endsAt: status === 'firing' ? '0001-01-01T00:00:00Z' : '2011-01-01T01:00:00.000Z',
    generatorURL: 'http://127.0.0.1:9680/api/v1/rules?group=g&rule=Drift',
    fingerprint,
  };
}

/** A receiver that records payloads and returns the given outcomes, then success. */
class RecordingReceiver implements Receiver {
  readonly name = 'recorder';
  readonly payloads: WebhookPayload[] = [];
  readonly #outcomes: boolean[];

  constructor(outcomes: boolean[] = []) {
    this.#outcomes = outcomes;
  }

  send(payload: WebhookPayload): Promise<DeliveryResult> {
    this.payloads.push(payload);
    const delivered = this.#outcomes.shift() ?? true;
    return Promise.resolve({ delivered, attempts: 1, status: delivered ? 200 : 500 });
  }
}

function recordingNotifier(receiver: Receiver, repeatIntervalMs?: number): Notifier {
  return new Notifier({
    receivers: [],
    customReceivers: [receiver],
    externalUrl: 'http://127.0.0.1:9680',
    metrics: createMetrics({ defaultMetrics: false }),
    logger: silentLogger(),
    ...(repeatIntervalMs === undefined ? {} : { repeatIntervalMs }),
  });
}

void test('webhook receives an Alertmanager payload', async () => {
  const server = new TestWebhookServer();
  const url = await server.start();
  const notifier = new Notifier({
    receivers: [
      {
        name: 'ops',
        kind: 'webhook',
        url,
        timeoutMs: 2000,
        maxAttempts: 3,
        initialBackoffMs: 1,
        maxBackoffMs: 4,
      },
    ],
    externalUrl: 'http://127.0.0.1:9680',
    metrics: createMetrics({ defaultMetrics: false }),
    logger: silentLogger(),
  });
  const firing = alert('firing', 'temp', 'aaaaaaaaaaaaaaaa');
  // Never sent as firing, so it is left out, as Alertmanager does.
  const resolved = alert('resolved', 'hum', 'bbbbbbbbbbbbbbbb');
  const ended = { status: 'resolved', endsAt: '2011-01-01T00:01:00.000Z' } as const;

  try {
    notifier.notify({ group: 'g', time: T0, alerts: [firing, resolved] });
    await notifier.flush();
    notifier.notify({ group: 'g', time: T0 + 60_000, alerts: [{ ...firing, ...ended }] });
    await notifier.flush();

    assert.equal(server.bodies.length, 2);
    const payload = server.bodies[0] as Record<string, unknown>;
    assert.deepEqual(Object.keys(payload).sort(), [
      'alerts',
      'commonAnnotations',
      'commonLabels',
      'externalURL',
      'groupKey',
      'groupLabels',
      'receiver',
      'status',
      'truncatedAlerts',
      'version',
    ]);
    assert.equal(payload.version, '4');
    assert.equal(payload.groupKey, '{}:{alertname="Drift"}');
    assert.equal(payload.truncatedAlerts, 0);
    assert.equal(payload.status, 'firing');
    assert.equal(payload.receiver, 'ops');
    assert.deepEqual(payload.groupLabels, { alertname: 'Drift' });
    assert.deepEqual(payload.commonLabels, {
      alertname: 'Drift',
      feature: 'temp',
      severity: 'warning',
    });
    assert.deepEqual(payload.commonAnnotations, {
      summary: 'drift on temp',
      runbook: 'docs/drift.md',
    });
    assert.equal(payload.externalURL, 'http://127.0.0.1:9680');
    assert.deepEqual(payload.alerts, [
      {
        status: 'firing',
        labels: { alertname: 'Drift', feature: 'temp', severity: 'warning' },
        annotations: { summary: 'drift on temp', runbook: 'docs/drift.md' },
        startsAt: '2011-01-01T00:00:00.000Z',
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'http://127.0.0.1:9680/api/v1/rules?group=g&rule=Drift',
        fingerprint: 'aaaaaaaaaaaaaaaa',
      },
    ]);

    const resolution = server.bodies[1] as WebhookPayload;
    assert.equal(resolution.status, 'resolved');
    assert.equal(resolution.groupKey, '{}:{alertname="Drift"}');
    assert.deepEqual(
      resolution.alerts.map((item) => [item.status, item.endsAt, item.fingerprint]),
      [['resolved', '2011-01-01T00:01:00.000Z', 'aaaaaaaaaaaaaaaa']],
    );
  } finally {
    await server.stop();
  }
});

void test('notifier sends on change and on repeat only', async () => {
  const receiver = new RecordingReceiver();
  const notifier = recordingNotifier(receiver);
  const temp = alert('firing', 'temp', 'aaaaaaaaaaaaaaaa');

  notifier.notify({ group: 'g', time: T0, alerts: [temp] });
  notifier.notify({ group: 'g', time: T0 + HOUR, alerts: [temp] });
  notifier.notify({ group: 'g', time: T0 + 4 * HOUR, alerts: [temp] });
  await notifier.flush();

  assert.equal(receiver.payloads.length, 2);
  assert.equal(receiver.payloads[1]?.alerts.length, 1);
  assert.equal(receiver.payloads[1]?.status, 'firing');
});

void test('notifier sends a resolution once', async () => {
  const receiver = new RecordingReceiver();
  const notifier = recordingNotifier(receiver);

  notifier.notify({ group: 'g', time: T0, alerts: [alert('firing', 'temp', 'aa')] });
  notifier.notify({ group: 'g', time: T0 + 60_000, alerts: [alert('resolved', 'temp', 'aa')] });
  notifier.notify({ group: 'g', time: T0 + 120_000, alerts: [alert('resolved', 'temp', 'aa')] });
  await notifier.flush();

  assert.equal(receiver.payloads.length, 2);
  assert.equal(receiver.payloads[1]?.status, 'resolved');
  assert.deepEqual(
    receiver.payloads[1]?.alerts.map((item) => item.status),
    ['resolved'],
  );
});

void test('notifier groups alerts by alertname', async () => {
  const receiver = new RecordingReceiver();
  const notifier = recordingNotifier(receiver);
  const other = { ...alert('firing', 'temp', 'cc'), labels: { alertname: 'Latency' } };

  notifier.notify({
    group: 'g',
    time: T0,
    alerts: [alert('firing', 'temp', 'aa'), alert('firing', 'hum', 'bb'), other],
  });
  await notifier.flush();

  assert.deepEqual(
    receiver.payloads.map((payload) => [payload.groupKey, payload.alerts.length]),
    [
      ['{}:{alertname="Drift"}', 2],
      ['{}:{alertname="Latency"}', 1],
    ],
  );
  assert.deepEqual(receiver.payloads[0]?.commonLabels, { alertname: 'Drift', severity: 'warning' });
});

void test('notifier sends again after a failed delivery', async () => {
  const receiver = new RecordingReceiver([false]);
  const notifier = recordingNotifier(receiver);
  const temp = alert('firing', 'temp', 'aa');

  notifier.notify({ group: 'g', time: T0, alerts: [temp] });
  await notifier.flush();
  notifier.notify({ group: 'g', time: T0 + 60_000, alerts: [temp] });
  notifier.notify({ group: 'g', time: T0 + 120_000, alerts: [temp] });
  await notifier.flush();

  assert.equal(receiver.payloads.length, 2);
});

void test('notifier rejects a repeat interval of zero', () => {
  assert.throws(() => recordingNotifier(new RecordingReceiver(), 0), /repeatIntervalMs 0/);
});
