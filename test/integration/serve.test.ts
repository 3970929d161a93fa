import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import {
  ERROR_RATE_RULES,
  REPOSITORY,
  VIGIL_BIN,
  eventually,
  postCheckoutEvents,
  waitForLog,
} from './process-helpers.ts';

// End to end through the real CLI: `vigil serve` on the wall clock, events over HTTP, a rule
// that fires, an Alertmanager-shaped webhook received here, and the values on /metrics.

interface Received {
  version: string;
  status: string;
  receiver: string;
  groupLabels: Record<string, string>;
  alerts: Array<{
    status: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
  }>;
}

const received: Received[] = [];
let webhook: Server;
let vigil: ChildProcess;
let baseUrl: string;

before(async () => {
  webhook = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push(JSON.parse(body) as Received);
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
  const hookPort = (webhook.address() as AddressInfo).port;

  const directory = mkdtempSync(join(tmpdir(), 'vigil-serve-'));
  mkdirSync(join(directory, 'rules'));
  writeFileSync(join(directory, 'rules', 'service.yaml'), ERROR_RATE_RULES);
  writeFileSync(
    join(directory, 'appliance.yaml'),
    [
      'http:',
      '  port: 0',
      'store:',
      '  path: ./store',
      'rules:',
      '  paths: [./rules]',
      'alerting:',
      '  receivers:',
      '    - name: test-hook',
      `      url: http://127.0.0.1:${hookPort}/hook`,
      '      initial_backoff: 100ms',
      '',
    ].join('\n'),
  );

  vigil = spawn('node', [VIGIL_BIN, 'serve', '--config', join(directory, 'appliance.yaml')], {
    cwd: REPOSITORY,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const started = await waitForLog(vigil, 'appliance started');
  baseUrl = String(started.url);
});

after(async () => {
  if (vigil.exitCode === null) vigil.kill('SIGKILL');
  await new Promise<void>((resolve) => webhook.close(() => resolve()));
});

test('serve ingests events, fires a rule and notifies the webhook', async () => {
  await postCheckoutEvents(baseUrl);

  const payload = await eventually(
    () => received.find((item) => item.status === 'firing'),
    'a firing notification',
  );
  assert.equal(payload.version, '4');
  assert.equal(payload.receiver, 'test-hook');
  assert.deepEqual(payload.groupLabels, { alertname: 'ServiceErrorRateHigh' });
  const alert = payload.alerts[0];
  assert.ok(alert);
  assert.equal(alert.status, 'firing');
  assert.equal(alert.labels.alertname, 'ServiceErrorRateHigh');
  assert.equal(alert.labels.stream, 'checkout');
  assert.equal(alert.labels.severity, 'critical');
  assert.equal(alert.annotations.summary, 'checkout fails 80% of requests');
});

test('metrics show ingest counters and evaluator results', async () => {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();

  assert.match(text, /^vigil_events_received_total\{stream="checkout"\} 10$/m);
  assert.match(text, /^vigil_model_error_ratio\{[^}]*rule="ServiceErrorRateHigh"[^}]*\} 0\.8$/m);
  assert.match(text, /^vigil_alerts\{rule="ServiceErrorRateHigh",state="firing"\} 1$/m);
  assert.match(text, /^# TYPE vigil_rule_group_evaluation_duration_seconds histogram$/m);
});

test('serve stops cleanly on SIGTERM', async () => {
  const exited = new Promise<number | null>((resolve) => vigil.once('exit', resolve));
  vigil.kill('SIGTERM');

  assert.equal(await exited, 0);
});
