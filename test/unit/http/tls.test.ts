import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAppliance } from '../../../appliance/app.ts';
import { loadConfig } from '../../../appliance/config/load-config.ts';
import { silentLogger } from '../../../appliance/log/logger.ts';

// A self-signed P-256 certificate for 127.0.0.1, valid for 100 years, made for this test with
// `openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 36500`.
const TLS_DIRECTORY = join(import.meta.dirname, '..', '..', 'fixtures', 'tls');
const CERT = readFileSync(join(TLS_DIRECTORY, 'cert.pem'));
const TOKEN = 'ingest-token-0123456789abcdef';

function get(url: string, token?: string): Promise<{ status: number; body: string }> {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  return new Promise((resolve, reject) => {
    const req = request(url, { ca: CERT, headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.once('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    req.once('error', reject);
    req.end();
  });
}

void test('appliance serves HTTPS with tokens from config', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'vigil-tls-'));
  mkdirSync(join(directory, 'rules'));
  const file = join(directory, 'appliance.yaml');
  writeFileSync(
    file,
    [
      'http:',
      '  port: 0',
      `  tls: { cert_file: ${join(TLS_DIRECTORY, 'cert.pem')}, key_file: ${join(TLS_DIRECTORY, 'key.pem')} }`,
      'auth:',
      '  tokens:',
      '    - { name: dashboard, token: "${READ_TOKEN}", scopes: [read] }',
      'store: { path: ./data }',
    ].join('\n'),
  );
  const { config, problems } = loadConfig({ path: file, env: { READ_TOKEN: TOKEN }, cwd: '/' });
  assert.deepEqual(problems, []);

  const appliance = await startAppliance(config, { logger: silentLogger() });
  try {
    assert.match(appliance.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const health = await get(`${appliance.url}/healthz`);
    const alertsWithout = await get(`${appliance.url}/api/v1/alerts`);
    const alertsWith = await get(`${appliance.url}/api/v1/alerts`, TOKEN);

    assert.equal(health.status, 200);
    assert.equal(alertsWithout.status, 401);
    assert.equal(alertsWith.status, 200);
  } finally {
    await appliance.close();
    rmSync(directory, { recursive: true, force: true });
  }
});
