import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { loadConfig } from '../../appliance/config/load-config.ts';
import { REPOSITORY } from './process-helpers.ts';

// Checks the compose bundle offline, because Docker cannot run here. dclint checks the current
// compose schema and its lint rules. Debian's docker-compose 1.29 `config -q` interpolates the
// env file and rejects unknown keys and bad `depends_on` conditions.

const composeDirectory = join(REPOSITORY, 'compose');
const composeFile = join(composeDirectory, 'compose.yaml');

// Placeholder secrets, so that the required variables of .env.example are set. Tokens have
// the 16 characters Vigil requires.
const secrets: Record<string, string> = {
  VIGIL_INGEST_TOKEN: 'test-ingest-token-0001',
  VIGIL_READ_TOKEN: 'test-read-token-00001',
  VIGIL_ADMIN_TOKEN: 'test-admin-token-0001',
  INFLUXDB_ADMIN_PASSWORD: 'test-admin-password',
  INFLUXDB_READ_PASSWORD: 'test-read-password',
  GRAFANA_ADMIN_PASSWORD: 'test-grafana-password',
};
const filledEnv = envText(secrets);

function envText(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([name, value]) => `${name}=${value}`)
    .join('\n');
}

function skipWithoutDockerCompose(): false | string {
  if (spawnSync('sh', ['-c', 'command -v docker-compose']).status === 0) return false;
  const message =
    'docker-compose not found on PATH; install the Debian package with ' +
    '"apt-get install --no-install-recommends docker-compose"';
  if (process.env.VIGIL_REQUIRE_SERVERS === '1') {
    throw new Error(`${message} (VIGIL_REQUIRE_SERVERS=1 requires it)`);
  }
  return message;
}

function dockerCompose(envFile: string, extra: string[] = []) {
  const args = ['--env-file', envFile, '-f', composeFile, ...extra, 'config', '-q'];
  return spawnSync('docker-compose', args, { cwd: composeDirectory, encoding: 'utf8' });
}

function writeEnvFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'vigil-compose-')), '.env');
  writeFileSync(file, `${text}\n`);
  return file;
}

test('compose file passes dclint', () => {
  const dclint = join(REPOSITORY, 'node_modules', '.bin', 'dclint');
  const result = spawnSync(dclint, ['compose.yaml', '--max-warnings', '0', '--color', 'false'], {
    cwd: composeDirectory,
    encoding: 'utf8',
  });
  assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
});

const skip = skipWithoutDockerCompose();

test('docker-compose config accepts the bundle', { skip }, () => {
  const result = dockerCompose(writeEnvFile(filledEnv));
  assert.equal(result.status, 0, result.stderr);
});

test('docker-compose config accepts the alerting profile', { skip }, () => {
  const result = dockerCompose(writeEnvFile(filledEnv), ['--profile', 'alerting']);
  assert.equal(result.status, 0, result.stderr);
});

test('empty secrets fail compose config', { skip }, () => {
  const result = dockerCompose(join(composeDirectory, '.env.example'));
  assert.notEqual(result.status, 0);
  assert.match(result.stderr, /set VIGIL_INGEST_TOKEN in \.env/);
});

test('each empty secret names itself', { skip }, () => {
  for (const name of Object.keys(secrets)) {
    const result = dockerCompose(writeEnvFile(envText({ ...secrets, [name]: '' })));
    assert.notEqual(result.status, 0, `${name} empty`);
    assert.match(result.stderr, new RegExp(`set ${name} in \\.env`), result.stderr);
  }
});

test('env example lists every secret', () => {
  const example = readFileSync(join(composeDirectory, '.env.example'), 'utf8');
  for (const name of Object.keys(secrets)) {
    assert.match(example, new RegExp(`^${name}=$`, 'm'), name);
  }
});

test('bundled config requires the tokens', () => {
  const path = join(composeDirectory, 'vigil', 'appliance.yaml');
  const filled = loadConfig({ path, env: secrets, cwd: '/' });
  assert.deepEqual(filled.problems, []);
  const tokens = filled.config.auth.tokens.map((token) => [token.name, token.scopes]);
  assert.deepEqual(tokens, [
    ['ingest', ['ingest']],
    ['read', ['read']],
    ['admin', ['read', 'admin']],
  ]);
  assert.equal(filled.config.auth.openMetrics, true);
  assert.equal(filled.config.http.host, '0.0.0.0');

  const empty = loadConfig({ path, env: { ...secrets, VIGIL_READ_TOKEN: '' }, cwd: '/' });
  const messages = empty.problems.map((problem) => problem.message).join('\n');
  assert.match(messages, /VIGIL_READ_TOKEN is not set/);
  assert.match(messages, /at least 16 characters/);
});
