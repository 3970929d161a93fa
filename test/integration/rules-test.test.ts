import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';

import { run, VIGIL_BIN } from './process-helpers.ts';

const testFiles = readdirSync('rules/tests')
  .filter((name) => name.endsWith('.yaml'))
  .map((name) => join('rules/tests', name));

void test('rules test passes the shipped rule tests', async () => {
  const result = await run('node', [VIGIL_BIN, 'rules', 'test', ...testFiles]);

  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /bike-model\.test\.yaml: 2 tests passed/);
  assert.match(result.stdout, /tweets\.test\.yaml: 1 tests passed/);
  assert.equal(result.stderr, '');
});

void test('rules test prints a diff and exits 1', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'vigil-rules-test-'));
  const file = join(directory, 'bike.test.yaml');
  const text = readFileSync('rules/tests/bike-model.test.yaml', 'utf8')
    .replace('../bike-model.yaml', resolve('rules/bike-model.yaml'))
    .replace('eval_time: 4d', 'eval_time: 5d');
  writeFileSync(file, text);

  const result = await run('node', [VIGIL_BIN, 'rules', 'test', file]);

  assert.equal(result.code, 1);
  assert.match(result.stdout, /FAILED, 1 failed assertions in 2 tests/);
  assert.match(
    result.stderr,
    /bike\.test\.yaml:\d+: test "mae above 60 for 3 days fires and resolves" at 5d: expected \[pending BikeModelMaeHigh\{.*\}\], got \[firing BikeModelMaeHigh\{.*\}\]/,
  );
});

void test('rules test rejects bad notation with its line', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'vigil-rules-test-'));
  const file = join(directory, 'bad.test.yaml');
  const rules = resolve('rules/bike-model.yaml');
  writeFileSync(
    file,
    `rule_files: ['${rules}']\ntests:\n  - input_outputs:\n      - { rule: BikeModelMaeHigh, values: '1 2x' }\n`,
  );

  const result = await run('node', [VIGIL_BIN, 'rules', 'test', file]);

  assert.equal(result.code, 1);
  assert.match(
    result.stderr,
    /bad\.test\.yaml:4:\d+: tests\[0\]\.input_outputs\[0\]\.values: invalid item "2x"/,
  );
});

void test('rules test without files is a usage error', async () => {
  const result = await run('node', [VIGIL_BIN, 'rules', 'test']);

  assert.equal(result.code, 2);
  assert.match(result.stderr, /missing FILE/);
});
