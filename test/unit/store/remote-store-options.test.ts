import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../appliance/config/load-config.ts';
import { remoteStoresFromEnv } from '../../../appliance/config/remote-store-config.ts';

function configFile(t: { after: (fn: () => void) => void }, yaml: string): string {
  const directory = mkdtempSync(join(tmpdir(), 'vigil-remote-options-'));
  t.after(() => rmSync(directory, { recursive: true, force: true }));
  const file = join(directory, 'appliance.yaml');
  writeFileSync(file, yaml);
  return file;
}

test('store section sets retention, prefix, drain', (t) => {
  const file = configFile(
    t,
    [
      'store:',
      '  drain_timeout: 2m',
      '  series: { kind: influx, url: "http://127.0.0.1:8086", retention: INF }',
      '  documents: { kind: opensearch, url: "http://127.0.0.1:9201", prefix: replay-2011 }',
      '',
    ].join('\n'),
  );

  const { config, problems } = loadConfig({ path: file, env: {}, cwd: '/' });

  assert.deepEqual(problems, []);
  assert.equal(config.store.remote?.series?.retention, 'INF');
  assert.equal(config.store.remote?.documents?.prefix, 'replay-2011');
  assert.equal(config.store.remote?.drainTimeoutMs, 120_000);
});

test('invalid retention names the field', (t) => {
  const file = configFile(
    t,
    'store:\n  series: { kind: influx, url: "http://127.0.0.1:8086", retention: forever }\n',
  );

  const { problems } = loadConfig({ path: file, env: {}, cwd: '/' });

  assert.equal(problems.length, 1);
  assert.match(problems[0]!.path, /store\.series\.retention/);
  assert.match(problems[0]!.message, /InfluxQL duration/);
});

test('environment sets retention and prefix', () => {
  const config = remoteStoresFromEnv({
    VIGIL_STORE: 'influx+opensearch',
    INFLUX_URL: 'http://127.0.0.1:8086',
    INFLUX_RETENTION: 'INF',
    OPENSEARCH_URL: 'http://127.0.0.1:9201',
    DOCUMENT_STREAM_PREFIX: 'demo',
  });

  assert.deepEqual(config, {
    series: { kind: 'influx', url: 'http://127.0.0.1:8086', database: 'vigil', retention: 'INF' },
    documents: { kind: 'opensearch', url: 'http://127.0.0.1:9201', prefix: 'demo' },
  });
});
