import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';

import { run, type Finished } from './process-helpers.ts';

// One run of the demo, which both tests read.
let result: Finished;

before(async () => {
  const data = join(mkdtempSync(join(tmpdir(), 'vigil-demo-')), 'store');
  const args = ['--import', 'tsx', 'appliance/demo/main.ts', '--once', '--port', '0'];
  result = await run('node', [...args, '--no-progress', '--data', data], 600_000);
});

test('demo replays real data and reports every kind of alert', () => {
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /Replayed 17379 bike-sharing hours/);
  const rules = [
    'BikeFeatureDriftKs',
    'BikeModelMaeHigh',
    'BikeModelErrors',
    'BikeServerLatencyHigh',
    'TweetVolumeAnomaly',
  ];
  for (const rule of rules) {
    assert.match(result.stdout, new RegExp(`^  ${rule} +\\d+ +\\d+  20\\d\\d-`, 'm'), rule);
  }
  const coverage = /Tweets: (\d+) of (\d+) labelled anomaly windows/.exec(result.stdout);
  assert.ok(coverage, 'tweet coverage line');
  assert.equal(Number(coverage[2]), 33);
  assert.ok(Number(coverage[1]) > 0, 'some labelled tweet anomalies alerted');
  const webhook = /Webhook: (\d+) notifications \(Alertmanager payload version 4\)/.exec(
    result.stdout,
  );
  assert.ok(webhook, 'webhook line');
  assert.ok(Number(webhook[1]) > 0);
});

test('demo scrapes its model server in event time', () => {
  assert.equal(result.code, 0, result.stderr);
  const server = /Model server: (\d+) POST \/predict requests, (\d+) rejected/.exec(result.stdout);
  assert.ok(server, 'model server line');
  assert.equal(Number(server[1]), 17379);
  // The humidity sensor reported 0 for 22 hours of 2011-03-10, and the server rejects those.
  assert.equal(Number(server[2]), 22);

  const scrapes = /model-server: (\d+) scrapes .*, up = 1 in (\d+) of them/.exec(result.stdout);
  assert.ok(scrapes, 'scrape line');
  // One scrape per replayed day (731 days of 2011 and 2012) and the collector's first one.
  assert.equal(Number(scrapes[1]), 732);
  assert.equal(Number(scrapes[2]), 732);

  const latency = /median ([\d.]+) ms per day, ([\d.]+) ms during the simulated/.exec(
    result.stdout,
  );
  assert.ok(latency, 'latency line');
  assert.ok(Number(latency[1]) < 60, `median p95 ${latency[1]} ms`);
  assert.ok(Number(latency[2]) > 100, `p95 during the slowdown ${latency[2]} ms`);

  assert.match(result.stdout, /^ {2}BikeServerErrorRatio +1 +1 {2}2011-03-11T00:00:00Z$/m);
  const fired = /BikeServerLatencyHigh fired (\d+) times during the simulated slowdown/.exec(
    result.stdout,
  );
  assert.ok(fired, 'latency alert line');
  assert.ok(Number(fired[1]) >= 1, 'the latency alert fired during the slowdown');
});
