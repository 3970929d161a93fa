import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { loadConfig } from '../../../appliance/config/load-config.ts';

// A short token is still a secret: the start-up error goes to the container log, so it must
// give the length, never the characters.
test('short token error hides the secret', () => {
  const directory = mkdtempSync(join(tmpdir(), 'vigil-config-'));
  const file = join(directory, 'appliance.yaml');
  const lines = [
    'auth:',
    '  tokens:',
    '    - name: ingest',
    '      token: ${VIGIL_INGEST_TOKEN}',
    '      scopes: [ingest]',
  ];
  writeFileSync(file, lines.join('\n') + '\n');

  const env = { VIGIL_INGEST_TOKEN: 's3cr3t-value-15' };
  const { problems } = loadConfig({ path: file, env, cwd: directory });

  assert.equal(problems.length, 1);
  assert.equal(problems[0]!.line, 4);
  assert.doesNotMatch(problems[0]!.message, /s3cr3t/);
  assert.match(problems[0]!.message, /got a secret of 15 characters/);
  assert.match(problems[0]!.message, /at least 16 characters/);
});
