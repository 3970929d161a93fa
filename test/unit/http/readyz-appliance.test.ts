import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { startAppliance, type Appliance } from '../../../appliance/app.ts';
import { loadConfig } from '../../../appliance/config/load-config.ts';
import { silentLogger } from '../../../appliance/log/logger.ts';

const CLOCK_MS = Date.parse('2011-03-10T12:00:00Z');

/** Writes an appliance.yaml with one scrape collector per target and starts it. */
async function startWith(targets: Record<string, string>): Promise<Appliance> {
  const directory = mkdtempSync(join(tmpdir(), 'vigil-readyz-'));
  mkdirSync(join(directory, 'rules'));
  const collectors = Object.entries(targets).map(
    ([name, url]) =>
      `  - { name: ${name}, kind: prometheus, targets: ['${url}'], interval: 1h, timeout: 2s }`,
  );
  const file = join(directory, 'appliance.yaml');
  writeFileSync(file, ['http: { port: 0 }', 'collectors:', ...collectors].join('\n'));
  const { config, problems } = loadConfig({ path: file, env: {}, cwd: '/' });
  assert.deepEqual(problems, []);
  return startAppliance(config, { logger: silentLogger(), collectorClock: () => CLOCK_MS });
}

/** Reads /readyz until no collector is still before its first scrape (at most 200 reads). */
async function settledReadiness(url: string): Promise<{ status: number; body: ReadyBody }> {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(`${url}/readyz`);
    const body = (await response.json()) as ReadyBody;
    const starting = Object.values(body.checks).includes('starting');
    if (!starting || attempt >= 200) return { status: response.status, body };
    await sleep(25);
  }
}

interface ReadyBody {
  ready: boolean;
  checks: Record<string, string>;
}

test('readyz lists each collector state', async () => {
  const target = createServer((request, response) => {
    if (request.url === '/ok/metrics') {
      response.setHeader('content-type', 'text/plain; version=0.0.4');
      response.end('# TYPE jobs_total counter\njobs_total 3\n');
      return;
    }
    response.statusCode = 500;
    response.end('broken');
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
  const appliance = await startWith({ good: `${base}/ok/metrics`, bad: `${base}/bad/metrics` });

  try {
    const { status, body } = await settledReadiness(appliance.url);

    assert.equal(status, 200);
    assert.equal(body.ready, true);
    assert.equal(body.checks.collector_good, 'ok');
    assert.equal(
      body.checks.collector_bad,
      `failing: ${base}/bad/metrics: HTTP status 500; expected 200`,
    );
  } finally {
    await appliance.close();
    target.closeAllConnections();
    await new Promise<void>((resolve) => target.close(() => resolve()));
  }
});

test('collector clock stamps scraped points', async () => {
  const target = createServer((_request, response) => {
    response.setHeader('content-type', 'text/plain; version=0.0.4');
    response.end('# TYPE jobs_total counter\njobs_total 3\n');
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(target.address() as AddressInfo).port}/metrics`;
  const appliance = await startWith({ models: url });

  try {
    await settledReadiness(appliance.url);
    await appliance.ingestor.flush();
    const up = appliance.store.queryPoints('up', { job: 'models' }, { from: 0, to: 2 ** 50 });

    assert.equal(up.length, 1);
    assert.deepEqual([...up[0]!.timestamps], [CLOCK_MS]);
    assert.deepEqual([...up[0]!.values], [1]);
  } finally {
    await appliance.close();
    target.closeAllConnections();
    await new Promise<void>((resolve) => target.close(() => resolve()));
  }
});
