import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SqliteStore } from '../../appliance/store/sqlite-store.ts';
import { REPOSITORY, VIGIL_BIN, waitForLog } from './process-helpers.ts';

// Crash safety: SIGKILL `vigil serve` ten times while clients keep posting events, restart it
// each time, and check that every event acknowledged with 200 is stored exactly once. Every
// event is an error, so the rule fires before the first kill. After the last restart the alert
// must still fire with its first `activeAt` and `firedAt`, and the webhook must have received
// no resolved notification and no firing one with another `startsAt`. A kill between a
// delivery and its notification-log write resends it, so up to one repeat per kill is allowed.

const RESTARTS = 10;
const BATCH = 50;
const CLIENTS = 3;
const RULES = `version: 1
groups:
  - name: crash
    interval: 1s
    rules:
      - alert: CrashErrorRateHigh
        evaluator: ops.error_rate
        stream: crash
        window: 1h
        when: value > 0.5
`;

function startVigil(config: string): ChildProcess {
  return spawn('node', [VIGIL_BIN, 'serve', '--config', config], {
    cwd: REPOSITORY,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

interface AlertInstance {
  labels: Record<string, string>;
  state: string;
  activeAt: string;
  firedAt?: string;
}

interface WebhookAlert {
  status: string;
  labels: Record<string, string>;
  startsAt: string;
}

/** Starts a webhook receiver on 127.0.0.1 that records every alert it is sent. */
async function startWebhook(received: WebhookAlert[]): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const payload = JSON.parse(body) as { alerts: WebhookAlert[] };
      received.push(...payload.alerts);
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/hook` };
}

/** Polls `/api/v1/alerts` until the rule's alert fires (at most 30 s), and returns it. */
async function firingAlert(url: string): Promise<AlertInstance> {
  for (let attempt = 0; attempt < 300; attempt++) {
    const response = await fetch(`${url}/api/v1/alerts`);
    const body = (await response.json()) as { data: { alerts: AlertInstance[] } };
    const alert = body.data.alerts.find((instance) => instance.state === 'firing');
    if (alert !== undefined) return alert;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('CrashErrorRateHigh did not fire within 30 s');
}

/** Posts batches of new ids until `stop` is set or the server goes away; records the acknowledged ids. */
async function postUntilStopped(
  url: string,
  next: () => number,
  stop: () => boolean,
  acknowledged: string[],
): Promise<void> {
  while (!stop()) {
    const first = next();
    const events = Array.from({ length: BATCH }, (_, offset) => ({
      stream: 'crash',
      id: `e${first + offset}`,
      timestamp: Date.now(),
      features: { x: offset },
      prediction: 1,
      error: true,
    }));
    try {
      const response = await fetch(`${url}/api/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(events),
      });
      if (response.status === 200) {
        for (const event of events) acknowledged.push(event.id);
      }
    } catch {
      return;
    }
  }
}

test('events and alert survive ten SIGKILLs', async (t) => {
  const directory = mkdtempSync(join(tmpdir(), 'vigil-sigkill-'));
  mkdirSync(join(directory, 'rules'));
  writeFileSync(join(directory, 'rules', 'crash.yaml'), RULES);
  const notifications: WebhookAlert[] = [];
  const webhook = await startWebhook(notifications);
  const config = join(directory, 'appliance.yaml');
  writeFileSync(
    config,
    [
      'http: { port: 0 }',
      'store: { path: ./store }',
      'rules: { paths: [./rules] }',
      `alerting: { receivers: [{ name: hook, url: '${webhook.url}' }] }`,
    ].join('\n'),
  );

  const acknowledged: string[] = [];
  let counter = 0;
  let before: AlertInstance | undefined;
  try {
    for (let round = 0; round < RESTARTS; round++) {
      const vigil = startVigil(config);
      const url = String((await waitForLog(vigil, 'appliance started')).url);
      let killed = false;
      const clients = Array.from({ length: CLIENTS }, () =>
        postUntilStopped(
          url,
          () => (counter += BATCH) - BATCH,
          () => killed,
          acknowledged,
        ),
      );
      if (round === 0) before = await firingAlert(url);
      // Kill after a varying number of acknowledged batches, while the clients still post.
      const target = acknowledged.length + BATCH * (3 + (round % 4));
      while (!killed) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        if (vigil.exitCode !== null) throw new Error(`vigil exited with ${vigil.exitCode}`);
        if (acknowledged.length >= target) {
          vigil.kill('SIGKILL');
          killed = true;
        }
      }
      await new Promise((resolve) => vigil.once('close', resolve));
      await Promise.all(clients);
    }

    // One more start, with no clients: the alert read back from the stored state.
    const vigil = startVigil(config);
    const url = String((await waitForLog(vigil, 'appliance started')).url);
    const after = await firingAlert(url);
    const firedAt = Date.parse(before!.firedAt!);
    await waitFor(() => notifications.some((alert) => Date.parse(alert.startsAt) === firedAt));
    vigil.kill('SIGKILL');
    await new Promise((resolve) => vigil.once('close', resolve));

    assert.equal(after.activeAt, before!.activeAt);
    assert.equal(after.firedAt, before!.firedAt);
    const resolved = notifications.filter((alert) => alert.status !== 'firing');
    assert.deepEqual(resolved, [], 'a resolved notification was sent');
    const otherStart = notifications.filter((alert) => Date.parse(alert.startsAt) !== firedAt);
    assert.deepEqual(otherStart, [], 'a firing notification has another startsAt');
    t.diagnostic(`${notifications.length} firing notifications over ${RESTARTS + 1} starts`);
    assert.ok(notifications.length >= 1, 'no firing notification');
    assert.ok(notifications.length <= RESTARTS + 2, `${notifications.length} notifications`);

    const store = SqliteStore.open({ directory: join(directory, 'store') });
    const stored = store
      .queryEvents('crash', { from: 0, to: Number.MAX_SAFE_INTEGER })
      .map((event) => event.id);
    store.close();
    const storedSet = new Set(stored);

    assert.ok(acknowledged.length >= RESTARTS * BATCH, `only ${acknowledged.length} acknowledged`);
    assert.equal(storedSet.size, stored.length, 'an event is stored twice');
    const missing = acknowledged.filter((id) => !storedSet.has(id));
    assert.deepEqual(missing, []);
  } finally {
    webhook.server.close();
    rmSync(directory, { recursive: true, force: true });
  }
});

/** Polls `done` every 100 ms for at most 30 s. */
async function waitFor(done: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 300 && !done(); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
