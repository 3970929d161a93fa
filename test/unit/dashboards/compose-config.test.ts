import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { parse } from 'yaml';

import { loadConfig } from '../../../appliance/config/load-config.ts';

const composeDirectory = new URL('../../../compose/', import.meta.url);

function readYaml(path: string): Record<string, unknown> {
  return parse(readFileSync(new URL(path, composeDirectory), 'utf8')) as Record<string, unknown>;
}

test('bundled appliance.yaml loads without problems', () => {
  const env = {
    VIGIL_INGEST_TOKEN: 'ingest-token-0123456789',
    VIGIL_READ_TOKEN: 'read-token-0123456789',
    VIGIL_ADMIN_TOKEN: 'admin-token-0123456789',
    INFLUXDB_ADMIN_PASSWORD: 'admin-password',
  };
  const file = new URL('vigil/appliance.yaml', composeDirectory).pathname;
  const { config, problems } = loadConfig({ path: file, env, cwd: '/' });

  assert.deepEqual(problems, []);
  assert.equal(config.http.host, '0.0.0.0');
  assert.equal(config.http.port, 9680);
  assert.equal(config.auth.openMetrics, true);
  assert.equal(config.store.remote?.series?.url, 'http://admin:admin-password@influxdb:8086');
  assert.equal(config.store.remote?.documents?.kind, 'elasticsearch');
  assert.deepEqual(
    config.auth.tokens.map((token) => token.token),
    ['ingest-token-0123456789', 'read-token-0123456789', 'admin-token-0123456789'],
  );
});

test('prometheus scrapes the vigil service', () => {
  const config = readYaml('prometheus/prometheus.yml') as {
    scrape_configs: Array<{ static_configs: Array<{ targets: string[] }> }>;
  };
  assert.deepEqual(config.scrape_configs[0]?.static_configs[0]?.targets, ['vigil:9680']);
});

test('alertmanager config has a default route', () => {
  const config = readYaml('alertmanager/alertmanager.yml') as {
    route: { receiver: string };
    receivers: Array<{ name: string }>;
  };
  assert.equal(config.route.receiver, 'default');
  assert.deepEqual(
    config.receivers.map((receiver) => receiver.name),
    ['default'],
  );
});

test('compose publishes ports on 127.0.0.1 only', () => {
  const compose = readYaml('compose.yaml') as {
    services: Record<string, { ports?: string[]; image?: string; build?: unknown }>;
  };
  for (const [name, service] of Object.entries(compose.services)) {
    for (const port of service.ports ?? []) {
      assert.match(port, /^127\.0\.0\.1:/, `${name}: ${port}`);
    }
    if (service.build === undefined) assert.match(service.image ?? '', /:[0-9v]/, `${name} tag`);
  }
});
