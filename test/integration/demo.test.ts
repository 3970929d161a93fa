import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { run } from './process-helpers.ts';

test('demo replays real data and reports every kind of alert', async () => {
  const data = join(mkdtempSync(join(tmpdir(), 'vigil-demo-')), 'store');
  const args = ['--import', 'tsx', 'appliance/demo/main.ts', '--once', '--port', '0'];

  const result = await run('node', [...args, '--no-progress', '--data', data], 300_000);

  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /Replayed 17379 bike-sharing hours/);
  for (const rule of ['BikeFeatureDriftKs', 'BikeModelMaeHigh', 'TweetVolumeAnomaly']) {
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
