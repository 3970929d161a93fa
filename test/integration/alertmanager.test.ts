import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { ERROR_RATE_RULES, eventually, postCheckoutEvents } from './process-helpers.ts';
import {
  skipUnlessInstalled,
  startServer,
  startVigil,
  type StartedServer,
  type StartedVigil,
} from './servers.ts';

// Vigil pushes alerts to a real Debian Alertmanager through its v2 API (receiver kind
// `alertmanager`), and Alertmanager delivers them to a webhook served by this file. The test
// starts Alertmanager itself so its config names the webhook's port. Alertmanager groups by
// alertname with group_wait and group_interval of 1 s so the resolved notification comes soon.

/** Alertmanager's webhook payload, version 4. */
interface Notification {
  version: string;
  status: string;
  receiver: string;
  alerts: Array<{
    status: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
    startsAt: string;
    endsAt: string;
  }>;
}

interface VigilAlert {
  labels: Record<string, string>;
  state: string;
  firedAt: string | null;
}

const skip = skipUnlessInstalled(['prometheus-alertmanager']);

describe('vigil pushes alerts to alertmanager', { skip }, () => {
  const received: Notification[] = [];
  let webhook: Server;
  let alertmanager: StartedServer;
  let vigil: StartedVigil;

  before(async () => {
    webhook = await startWebhook(received);
    const hookPort = (webhook.address() as AddressInfo).port;
    const directory = mkdtempSync(join(tmpdir(), 'vigil-alertmanager-'));

    const amConfig = join(directory, 'alertmanager.yml');
    writeFileSync(amConfig, alertmanagerConfig(hookPort));
    alertmanager = await startServer('alertmanager', amConfig);

    mkdirSync(join(directory, 'rules'));
    writeFileSync(join(directory, 'rules', 'service.yaml'), ERROR_RATE_RULES);
    writeFileSync(join(directory, 'appliance.yaml'), vigilConfig(alertmanager.url));
    vigil = await startVigil(join(directory, 'appliance.yaml'));
  });

  after(async () => {
    await vigil?.stop();
    await alertmanager?.stop();
    await new Promise<void>((resolve) => (webhook ? webhook.close(() => resolve()) : resolve()));
  });

  test('firing alert reaches the webhook', async () => {
    await postCheckoutEvents(vigil.url, { first: 0, count: 10, errors: 8 });

    const notification = await eventually(
      () => received.find((item) => item.status === 'firing'),
      'a firing notification from Alertmanager',
    );
    const vigilAlert = await eventually(
      async () => (await vigilAlerts(vigil.url)).find((item) => item.state === 'firing'),
      'a firing alert in Vigil',
    );

    assert.equal(notification.version, '4');
    assert.equal(notification.receiver, 'test-hook');
    const alert = notification.alerts[0];
    assert.ok(alert);
    assert.equal(alert.labels.alertname, 'ServiceErrorRateHigh');
    assert.equal(alert.labels.stream, 'checkout');
    assert.equal(alert.labels.severity, 'critical');
    assert.equal(alert.annotations.summary, 'checkout fails 80% of requests');
    assert.ok(vigilAlert.firedAt);
    assert.equal(Date.parse(alert.startsAt), Date.parse(vigilAlert.firedAt));
  });

  test('alertmanager lists the firing alert', async () => {
    const alerts = await alertmanagerAlerts(alertmanager.url);

    assert.equal(alerts.length, 1);
    assert.equal(alerts[0]?.labels.alertname, 'ServiceErrorRateHigh');
    assert.equal(alerts[0]?.status.state, 'active');
  });

  test('resolved alert is resolved in alertmanager', async () => {
    // 40 successful events bring the error ratio to 8 / 50 = 0.16, below the threshold.
    await postCheckoutEvents(vigil.url, { first: 10, count: 40, errors: 0 });

    const notification = await eventually(
      () => received.find((item) => item.status === 'resolved'),
      'a resolved notification from Alertmanager',
    );
    const active = await eventually(async () => {
      const alerts = await alertmanagerAlerts(alertmanager.url);
      return alerts.length === 0 ? alerts : undefined;
    }, 'Alertmanager to drop the resolved alert');

    const alert = notification.alerts[0];
    assert.ok(alert);
    assert.equal(alert.status, 'resolved');
    assert.equal(alert.labels.alertname, 'ServiceErrorRateHigh');
    assert.ok(Date.parse(alert.endsAt) >= Date.parse(alert.startsAt));
    assert.ok(Date.parse(alert.endsAt) <= Date.now());
    assert.deepEqual(active, []);
  });
});

function startWebhook(received: Notification[]): Promise<Server> {
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push(JSON.parse(body) as Notification);
      response.writeHead(200).end();
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function alertmanagerConfig(hookPort: number): string {
  return [
    'route:',
    '  receiver: test-hook',
    '  group_by: [alertname]',
    '  group_wait: 1s',
    '  group_interval: 1s',
    '  repeat_interval: 1h',
    'receivers:',
    '  - name: test-hook',
    '    webhook_configs:',
    `      - url: http://127.0.0.1:${hookPort}/hook`,
    '        send_resolved: true',
    '',
  ].join('\n');
}

function vigilConfig(alertmanagerUrl: string): string {
  return [
    'http:',
    '  port: 0',
    'store:',
    '  path: ./store',
    'rules:',
    '  paths: [./rules]',
    'alerting:',
    '  receivers:',
    '    - name: am',
    '      kind: alertmanager',
    `      url: ${alertmanagerUrl}`,
    '      initial_backoff: 100ms',
    '',
  ].join('\n');
}

async function vigilAlerts(baseUrl: string): Promise<VigilAlert[]> {
  const body = (await (await fetch(`${baseUrl}/api/v1/alerts`)).json()) as {
    data: { alerts: VigilAlert[] };
  };
  return body.data.alerts;
}

/** Returns the active, silenced and inhibited alerts of Alertmanager, which leaves out resolved ones. */
async function alertmanagerAlerts(
  baseUrl: string,
): Promise<Array<{ labels: Record<string, string>; status: { state: string } }>> {
  const response = await fetch(`${baseUrl}/api/v2/alerts`);
  assert.equal(response.status, 200);
  return (await response.json()) as Array<{
    labels: Record<string, string>;
    status: { state: string };
  }>;
}
