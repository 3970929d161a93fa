import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import {
  ERROR_RATE_RULES,
  VIGIL_BIN,
  eventually,
  postCheckoutEvents,
  run,
} from './process-helpers.ts';
import {
  skipUnlessInstalled,
  startServer,
  startVigil,
  type StartedServer,
  type StartedVigil,
} from './servers.ts';

// Real Debian Prometheus scraping a Vigil that this file starts. The test starts Prometheus
// itself, after Vigil, so its config names Vigil's port (Vigil binds port 0). Prometheus also
// loads the output of `vigil rules export --prometheus` for the same rule file, so the test
// checks that the exported rule fires on Vigil's gauges. Scrape and rule intervals are 1 s.

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

interface PrometheusAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: string;
  value: string;
}

const skip = skipUnlessInstalled(['prometheus']);

describe('prometheus scrapes vigil', { skip }, () => {
  let vigil: StartedVigil;
  let prometheus: StartedServer;

  before(async () => {
    const directory = mkdtempSync(join(tmpdir(), 'vigil-prometheus-'));
    mkdirSync(join(directory, 'rules'));
    writeFileSync(join(directory, 'rules', 'service.yaml'), ERROR_RATE_RULES);
    writeFileSync(
      join(directory, 'appliance.yaml'),
      ['http:', '  port: 0', 'store:', '  path: ./store', 'rules:', '  paths: [./rules]', ''].join(
        '\n',
      ),
    );
    vigil = await startVigil(join(directory, 'appliance.yaml'));
    await postCheckoutEvents(vigil.url);

    const exported = join(directory, 'exported.yml');
    const exportRun = await run('node', [
      VIGIL_BIN,
      'rules',
      'export',
      '--prometheus',
      '--output',
      exported,
      join(directory, 'rules'),
    ]);
    assert.equal(exportRun.code, 0, exportRun.stderr);

    const config = join(directory, 'prometheus.yml');
    writeFileSync(config, prometheusConfig(vigil.port, exported));
    prometheus = await startServer('prometheus', config);
  });

  after(async () => {
    await prometheus?.stop();
    await vigil?.stop();
  });

  test('ingest counter reaches prometheus', async () => {
    const sample = await eventually(
      () => firstSample(prometheus.url, 'vigil_events_received_total{stream="checkout"}'),
      'vigil_events_received_total in Prometheus',
    );

    assert.equal(sample.value[1], '10');
    assert.equal(sample.metric.job, 'vigil');
    assert.equal(sample.metric.instance, `127.0.0.1:${vigil.port}`);
  });

  test('evaluator gauge reaches prometheus', async () => {
    const sample = await eventually(
      () => firstSample(prometheus.url, 'vigil_model_error_ratio{rule="ServiceErrorRateHigh"}'),
      'vigil_model_error_ratio in Prometheus',
    );

    assert.equal(sample.value[1], '0.8');
    assert.equal(sample.metric.stream, 'checkout');
  });

  test('exported rule fires in prometheus', async () => {
    const alert = await eventually(async () => {
      const alerts = await prometheusAlerts(prometheus.url);
      return alerts.find((item) => item.state === 'firing');
    }, 'a firing alert in Prometheus');

    assert.equal(alert.labels.alertname, 'ServiceErrorRateHigh');
    assert.equal(alert.labels.severity, 'critical');
    assert.equal(alert.labels.stream, 'checkout');
    assert.equal(alert.annotations.summary, 'checkout fails 80% of requests');
    assert.equal(Number(alert.value), 0.8);
  });
});

function prometheusConfig(vigilPort: number, rulesFile: string): string {
  return [
    'global:',
    '  scrape_interval: 1s',
    '  evaluation_interval: 1s',
    'rule_files:',
    `  - ${JSON.stringify(rulesFile)}`,
    'scrape_configs:',
    '  - job_name: vigil',
    '    static_configs:',
    `      - targets: ['127.0.0.1:${vigilPort}']`,
    '',
  ].join('\n');
}

/** Runs an instant query and returns its first sample, or undefined while there is none. */
async function firstSample(baseUrl: string, query: string): Promise<Sample | undefined> {
  const response = await fetch(`${baseUrl}/api/v1/query?query=${encodeURIComponent(query)}`);
  const body = (await response.json()) as { status: string; data: { result: Sample[] } };
  assert.equal(body.status, 'success');
  return body.data.result[0];
}

async function prometheusAlerts(baseUrl: string): Promise<PrometheusAlert[]> {
  const response = await fetch(`${baseUrl}/api/v1/alerts`);
  const body = (await response.json()) as { data: { alerts: PrometheusAlert[] } };
  return body.data.alerts;
}
