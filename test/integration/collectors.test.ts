import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Counter, Histogram, Registry } from 'prom-client';

import { startAppliance } from '../../appliance/app.ts';
import { loadConfig } from '../../appliance/config/load-config.ts';
import { silentLogger } from '../../appliance/log/logger.ts';
import { eventually } from './process-helpers.ts';

const ALL_TIME = { from: 0, to: Number.MAX_SAFE_INTEGER };

// The appliance started from appliance.yaml with a file collector and a scrape collector whose
// target is a real prom-client registry, as a model server would export it.
test('configured collectors feed the appliance', async () => {
  const registry = new Registry();
  const requests = new Counter({ name: 'model_requests_total', help: 'x', registers: [registry] });
  const latency = new Histogram({
    name: 'model_latency_seconds',
    help: 'x',
    buckets: [0.05, 0.1, 0.5],
    registers: [registry],
  });
  const target = createServer((_request, response) => {
    requests.inc(10);
    for (let i = 0; i < 10; i++) latency.observe(0.07);
    void registry.metrics().then((text) => {
      response.setHeader('content-type', registry.contentType);
      response.end(text);
    });
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  const targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/metrics`;

  const directory = mkdtempSync(join(tmpdir(), 'vigil-collectors-'));
  mkdirSync(join(directory, 'rules'));
  const log = join(directory, 'predictions.ndjson');
  writeFileSync(log, '{"stream":"m","id":"1","timestamp":1000,"prediction":1}\n');
  writeFileSync(
    join(directory, 'appliance.yaml'),
    `http:
  port: 0
store:
  path: state
collectors:
  - name: predictions
    kind: file
    path: predictions.ndjson
    interval: 50ms
  - name: model
    kind: prometheus
    targets: [${targetUrl}]
    interval: 100ms
    timeout: 2s
`,
  );
  const { config, problems } = loadConfig({ path: 'appliance.yaml', env: {}, cwd: directory });
  assert.deepEqual(problems, []);
  const appliance = await startAppliance(config, { logger: silentLogger() });

  try {
    appendFileSync(log, '{"stream":"m","id":"2","timestamp":2000,"prediction":0}\n');
    await eventually(
      () => (appliance.store.queryEvents('m', ALL_TIME).length === 2 ? true : undefined),
      'both file lines stored',
    );
    const p50 = await eventually(
      () => appliance.store.queryPoints('model_latency_seconds:p50', {}, ALL_TIME)[0],
      'a latency median from the second scrape',
    );
    // Every observation is 0.07 s, in the (0.05, 0.1] bucket: the median interpolates to 0.075.
    assert.ok(Math.abs(p50.values[0]! - 0.075) < 1e-9);
    assert.equal(p50.labels.job, 'model');
    const up = appliance.store.queryPoints('up', { job: 'model' }, ALL_TIME)[0]!;
    assert.equal(up.values[0], 1);
    const metrics = await appliance.metrics.registry.metrics();
    assert.match(metrics, /vigil_collector_records_received_total\{collector="predictions"\} 2/);
  } finally {
    await appliance.close();
    target.closeAllConnections();
    target.close();
  }
});
