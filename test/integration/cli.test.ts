import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { run, VIGIL_BIN } from './process-helpers.ts';

test('rules check accepts the shipped rules', async () => {
  const result = await run('node', [VIGIL_BIN, 'rules', 'check', 'rules/']);

  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /bike-model\.yaml: \d+ groups, \d+ rules/);
  assert.match(result.stdout, /tweets\.yaml: 1 groups?, 1 rules?/);
});

test('rules check rejects a bad file with its position', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'vigil-cli-'));
  const file = join(directory, 'bad.yaml');
  writeFileSync(
    file,
    [
      'version: 1',
      'groups:',
      '  - name: g',
      '    interval: 1m',
      '    rules:',
      '      - alert: A',
      '        evaluator: quality.mae',
      '        stream: s',
      '        window: 5m',
      '        when: value > 1',
      '        for: 5 minutes',
      '',
    ].join('\n'),
  );

  const result = await run('node', [VIGIL_BIN, 'rules', 'check', file]);

  assert.equal(result.code, 1);
  assert.match(result.stderr, /bad\.yaml:11:14: .*for.*"5 minutes"/);
});

test('unknown command exits with a usage error', async () => {
  const result = await run('node', [VIGIL_BIN, 'frobnicate']);

  assert.equal(result.code, 2);
  assert.match(result.stderr, /unknown command "frobnicate"/);
});
