import { test } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import {
  remoteStoresFromEnv,
  remoteStoresFromSection,
} from '../../../appliance/config/remote-store-config.ts';
import { loadConfig } from '../../../appliance/config/load-config.ts';

test('VIGIL_STORE picks both remote roles', () => {
  const config = remoteStoresFromEnv({
    VIGIL_STORE: 'influx+opensearch',
    INFLUX_URL: 'http://127.0.0.1:8086',
    OPENSEARCH_URL: 'http://127.0.0.1:9201',
  });

  assert.deepEqual(config, {
    series: { kind: 'influx', url: 'http://127.0.0.1:8086', database: 'vigil' },
    documents: { kind: 'opensearch', url: 'http://127.0.0.1:9201' },
  });
});

test('no VIGIL_STORE keeps the embedded store', () => {
  assert.equal(remoteStoresFromEnv({ INFLUX_URL: 'http://127.0.0.1:8086' }), undefined);
  assert.equal(loadConfig({ env: {}, cwd: '/tmp' }).config.store.remote, undefined);
});

test('role without its URL is left out', () => {
  const config = remoteStoresFromEnv({
    VIGIL_STORE: 'influx+elasticsearch',
    INFLUX_URL: 'http://127.0.0.1:8086',
  });

  assert.deepEqual(config, {
    series: { kind: 'influx', url: 'http://127.0.0.1:8086', database: 'vigil' },
  });
});

test('store section sets roles and outbox bound', () => {
  const config = remoteStoresFromSection({
    documents: { kind: 'elasticsearch', url: 'http://127.0.0.1:9200' },
    outbox_max_bytes: 1024,
  });

  assert.deepEqual(config, {
    documents: { kind: 'elasticsearch', url: 'http://127.0.0.1:9200' },
    outboxMaxBytes: 1024,
  });
  assert.equal(remoteStoresFromSection({ path: './data' }), undefined);
});

test('VIGIL_STORE keeps the file outbox settings', () => {
  const directory = mkdtempSync(join(tmpdir(), 'vigil-remote-config-'));
  const file = join(directory, 'appliance.yaml');
  writeFileSync(
    file,
    [
      'store:',
      '  series: { kind: influx, url: "http://influxdb:8086" }',
      '  drain_timeout: 20s',
      '  outbox_max_bytes: 4096',
      '',
    ].join('\n'),
  );
  const env = {
    VIGIL_STORE: 'opensearch',
    OPENSEARCH_URL: 'http://127.0.0.1:9201',
  };

  const { config, problems } = loadConfig({ path: file, env, cwd: directory });

  assert.deepEqual(problems, []);
  assert.deepEqual(config.store.remote, {
    documents: { kind: 'opensearch', url: 'http://127.0.0.1:9201' },
    outboxMaxBytes: 4096,
    drainTimeoutMs: 20_000,
  });
  rmSync(directory, { recursive: true, force: true });
});
