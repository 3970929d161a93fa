import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { VIGIL_BIN, run } from './process-helpers.ts';
import { skipUnlessInstalled } from './servers.ts';

// `vigil rules export --prometheus` checked by Debian's promtool: the shipped rules must pass
// `promtool check rules`, and an exported rule must fire in `promtool test rules` as Vigil
// would fire it, with the same labels and annotations.

const skip = skipUnlessInstalled(['promtool']);

const RULES = `version: 1
groups:
  - name: service-health
    interval: 1m
    rules:
      - alert: ServiceErrorRateHigh
        evaluator: ops.error_rate
        stream: checkout
        window: 5m
        when: 0.5 < value
        for: 2m
        keep_firing_for: 1m
        labels:
          severity: critical
        annotations:
          summary: '{{ $labels.stream }} fails {{ $value | humanizePercentage }} of requests'
          ratio: '{{ $values.value | printf "%.2f" }}'
`;

// The series as Prometheus would scrape it from Vigil: 0.1 at 0m, then 0.8 from 1m to 10m.
const PROMTOOL_TEST = `rule_files: [exported.yml]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'vigil_model_error_ratio{rule="ServiceErrorRateHigh",stream="checkout",job="vigil"}'
        values: '0.1 0.8x10'
    alert_rule_test:
      - eval_time: 2m
        alertname: ServiceErrorRateHigh
        exp_alerts: []
      - eval_time: 5m
        alertname: ServiceErrorRateHigh
        exp_alerts:
          - exp_labels:
              alertname: ServiceErrorRateHigh
              rule: ServiceErrorRateHigh
              stream: checkout
              job: vigil
              severity: critical
            exp_annotations:
              summary: checkout fails 80% of requests
              ratio: '0.80'
`;

test('shipped rules pass promtool check rules', { skip }, async () => {
  const directory = mkdtempSync(join(tmpdir(), 'vigil-export-'));
  const exported = join(directory, 'shipped.yml');

  const exportRun = await run('node', [
    VIGIL_BIN,
    'rules',
    'export',
    '--prometheus',
    '--output',
    exported,
    'rules/',
  ]);
  const check = await run('promtool', ['check', 'rules', exported]);

  assert.equal(exportRun.code, 0, exportRun.stderr);
  assert.match(exportRun.stderr, /skipped bike-data\/BikeFeatureDriftKs: condition/);
  assert.match(readFileSync(exported, 'utf8'), /vigil_model_mae\{rule="BikeModelMaeHigh"\} > 60/);
  assert.equal(check.code, 0, check.stdout + check.stderr);
  assert.match(check.stdout, /SUCCESS: \d+ rules found/);
});

test('exported rule passes promtool test rules', { skip }, async () => {
  const directory = mkdtempSync(join(tmpdir(), 'vigil-export-'));
  writeFileSync(join(directory, 'service.yaml'), RULES);
  writeFileSync(join(directory, 'service_test.yml'), PROMTOOL_TEST);

  const exportRun = await run('node', [
    VIGIL_BIN,
    'rules',
    'export',
    '--prometheus',
    '--output',
    join(directory, 'exported.yml'),
    join(directory, 'service.yaml'),
  ]);
  const exported = readFileSync(join(directory, 'exported.yml'), 'utf8');
  const promtool = await run('promtool', ['test', 'rules', join(directory, 'service_test.yml')]);

  assert.equal(exportRun.code, 0, exportRun.stderr);
  assert.match(exported, /expr: vigil_model_error_ratio\{rule="ServiceErrorRateHigh"\} > 0\.5/);
  assert.match(exported, /keep_firing_for: 1m/);
  assert.equal(promtool.code, 0, promtool.stdout + promtool.stderr);
  assert.match(promtool.stdout, /SUCCESS/);
});
