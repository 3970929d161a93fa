import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { formatProblem } from '../../../appliance/config/config.ts';
import { loadConfig } from '../../../appliance/config/load-config.ts';

function writeConfig(text: string): string {
  const directory = mkdtempSync(join(tmpdir(), 'vigil-security-config-'));
  const file = join(directory, 'appliance.yaml');
  writeFileSync(file, text);
  return file;
}

test('auth tokens come from the environment', () => {
  const file = writeConfig(
    [
      'auth:',
      '  open_metrics: true',
      '  tokens:',
      '    - { name: collector, token: "${INGEST_TOKEN}", scopes: [ingest] }',
      '    - { name: ops, token: "${ADMIN_TOKEN}", scopes: [read, admin] }',
    ].join('\n'),
  );
  const env = { INGEST_TOKEN: 'ingest-0123456789abcdef', ADMIN_TOKEN: 'admin-0123456789abcdef' };
  const { config, problems } = loadConfig({ path: file, env, cwd: '/' });

  assert.deepEqual(problems, []);
  assert.deepEqual(config.auth, {
    tokens: [
      { name: 'collector', token: 'ingest-0123456789abcdef', scopes: ['ingest'] },
      { name: 'ops', token: 'admin-0123456789abcdef', scopes: ['read', 'admin'] },
    ],
    openMetrics: true,
    openHealth: true,
  });
});

test('short token and unknown scope are problems', () => {
  const file = writeConfig('auth:\n  tokens:\n    - { name: a, token: short, scopes: [write] }\n');
  const { problems } = loadConfig({ path: file, env: {}, cwd: '/' });
  const messages = problems.map(formatProblem);

  assert.equal(problems.length, 2);
  assert.match(messages[0] ?? '', /auth\.tokens\[0\]\.token: .*at least 16 characters/);
  assert.match(messages[1] ?? '', /auth\.tokens\[0\]\.scopes\[0\]: got "write"/);
});

test('limits, tls and rate limit are read', () => {
  const file = writeConfig(
    [
      'http:',
      '  tls: { cert_file: certs/vigil.pem, key_file: certs/vigil.key }',
      '  rate_limit: { requests_per_second: 2.5 }',
      'ingest: { max_features: 50, max_string_length: 64, max_labels: 4 }',
      'cardinality: { max_streams: 3, max_label_values_per_label: 100 }',
    ].join('\n'),
  );
  const directory = join(file, '..');
  const { config, problems } = loadConfig({ path: file, env: {}, cwd: '/' });

  assert.deepEqual(problems, []);
  assert.deepEqual(config.http.tls, {
    certFile: join(directory, 'certs/vigil.pem'),
    keyFile: join(directory, 'certs/vigil.key'),
  });
  assert.deepEqual(config.http.rateLimit, { requestsPerSecond: 2.5, burst: 3 });
  assert.equal(config.ingest.maxFeatures, 50);
  assert.equal(config.ingest.maxStringLength, 64);
  assert.equal(config.ingest.maxLabels, 4);
  assert.equal(config.cardinality.maxStreams, 3);
  assert.equal(config.cardinality.maxLabelValuesPerLabel, 100);
  assert.equal(config.cardinality.maxSeriesPerMetric, 10_000);
});

test('shared token secret is a problem', () => {
  const file = writeConfig(
    [
      'auth:',
      '  tokens:',
      '    - { name: collector, token: "${SHARED}", scopes: [ingest] }',
      '    - { name: ops, token: "${SHARED}", scopes: [read, admin] }',
    ].join('\n'),
  );
  const env = { SHARED: 'shared-0123456789abcdef' };
  const { problems } = loadConfig({ path: file, env, cwd: '/' });
  const messages = problems.map(formatProblem);

  assert.equal(messages.length, 1);
  assert.match(
    messages[0]!,
    /:4:\d+: auth\.tokens\[1\]\.token: token "ops" has the same secret as token "collector"/,
  );
  assert.doesNotMatch(messages[0]!, /0123456789/);
});

test('token with a space is a problem', () => {
  const file = writeConfig(
    'auth:\n  tokens:\n    - { name: a, token: "${SPACED}", scopes: [read] }\n',
  );
  const env = { SPACED: 'spaced 0123456789 abcdef' };
  const { problems } = loadConfig({ path: file, env, cwd: '/' });
  const messages = problems.map(formatProblem);

  assert.equal(messages.length, 1);
  assert.match(messages[0]!, /auth\.tokens\[0\]\.token: .*without spaces/);
  assert.doesNotMatch(messages[0]!, /0123456789/);
});
