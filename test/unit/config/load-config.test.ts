import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { formatProblem } from '../../../appliance/config/config.ts';
import { loadConfig } from '../../../appliance/config/load-config.ts';

function writeConfig(text: string): { directory: string; file: string } {
  const directory = mkdtempSync(join(tmpdir(), 'vigil-config-'));
  const file = join(directory, 'appliance.yaml');
  writeFileSync(file, text);
  return { directory, file };
}

test('config defaults with no file', () => {
  const { config, problems, file } = loadConfig({ env: {}, cwd: '/srv/vigil' });
  assert.deepEqual(problems, []);
  assert.equal(file, undefined);
  assert.deepEqual(config, {
    http: { host: '127.0.0.1', port: 9680, bodyLimitBytes: 16 * 1024 * 1024 },
    store: { kind: 'sqlite', path: '/srv/vigil/data', retentionMs: 400 * 86_400_000 },
    auth: { tokens: [], openMetrics: false, openHealth: true },
    ingest: {
      maxQueueRecords: 200_000,
      maxBatchRecords: 50_000,
      maxFeatures: 1_000,
      maxStringLength: 1_024,
      maxLabels: 32,
    },
    cardinality: {
      maxStreams: 1_000,
      maxMetrics: 1_000,
      maxSeriesPerMetric: 10_000,
      maxLabelValuesPerLabel: 10_000,
      maxCategoriesPerFeature: 1_000,
    },
    windows: {
      bucketMs: 300_000,
      horizonMs: 35 * 86_400_000,
      maxEvents: 1_000_000,
      maxPoints: 4_000_000,
    },
    rules: { paths: ['/srv/vigil/rules'], clock: 'wall' },
    alerting: { externalUrl: 'http://127.0.0.1:9680', receivers: [] },
    log: { level: 'info' },
  });
});

test('config file from VIGIL_CONFIG resolves paths beside it', () => {
  const { directory, file } = writeConfig(
    [
      'http: { port: "${PORT:-9000}" }',
      'store: { path: state }',
      'rules: { paths: [my-rules, /etc/vigil/rules], clock: event }',
      'alerting:',
      '  receivers:',
      '    - { name: ops, url: "http://127.0.0.1:5001/hook", timeout: 5s }',
    ].join('\n'),
  );
  const { problems } = loadConfig({ env: { VIGIL_CONFIG: file, PORT: '9001' }, cwd: '/' });
  assert.deepEqual(problems.map(formatProblem), [
    `${file}:1:15: http.port: got "9001", expected a port number from 0 to 65535`,
  ]);

  const unquoted = writeConfig('http:\n  port: ${PORT:-9000}\nstore: { path: state }\n');
  const loaded = loadConfig({ path: unquoted.file, env: { PORT: '9001' }, cwd: '/' });
  assert.deepEqual(loaded.problems, []);
  assert.equal(loaded.config.http.port, 9001);
  assert.equal(loaded.config.store.path, join(unquoted.directory, 'state'));
  assert.ok(directory !== unquoted.directory);
});

test('config problems reported all at once', () => {
  const { file } = writeConfig(
    [
      'http:',
      '  port: 99999',
      '  hots: 0.0.0.0',
      'windows:',
      '  bucket: 5 minutes',
      'rules:',
      '  clock: sundial',
      'alerting:',
      '  receivers:',
      '    - name: ops',
    ].join('\n'),
  );
  const { config, problems } = loadConfig({ path: file, env: {}, cwd: '/' });
  assert.deepEqual(problems.map(formatProblem), [
    `${file}:2:9: http.port: got 99999, expected a port number from 0 to 65535`,
    `${file}:3:3: http.hots: unknown key "hots"; expected one of host, port, body_limit_bytes, tls, rate_limit`,
    `${file}:5:11: windows.bucket: got "5 minutes", expected a duration such as 5m or 1h30m`,
    `${file}:7:10: rules.clock: got "sundial", expected one of "wall", "event"`,
    `${file}:10:7: alerting.receivers[0]: missing required key "url"`,
  ]);
  assert.equal(config.http.port, 9680);
});

test('missing config file is a problem', () => {
  const { problems } = loadConfig({ path: 'nowhere.yaml', env: {}, cwd: '/tmp' });
  assert.equal(problems.length, 1);
  assert.equal(problems[0]?.file, '/tmp/nowhere.yaml');
  assert.match(problems[0]?.message ?? '', /file not found/);
});

test('horizon must be a multiple of the bucket', () => {
  const { file } = writeConfig('windows: { bucket: 7m, horizon: 1h }\n');
  const { problems } = loadConfig({ path: file, env: {}, cwd: '/' });
  assert.equal(problems.length, 1);
  assert.equal(problems[0]?.path, 'windows.horizon');
  assert.match(problems[0]?.message ?? '', /whole multiple of windows.bucket \(7m\)/);
});
