import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { runRulesExport } from '../../../appliance/cli/rules-export.ts';
import { evaluators } from '../../../appliance/evaluators/registry.ts';

const RULES = `version: 1
groups:
  - name: service
    rules:
      - alert: ErrorsHigh
        evaluator: ops.error_rate
        stream: checkout
        window: 5m
        when: value > 0.5
      - alert: ErrorsAndSlow
        evaluator: ops.error_rate
        stream: checkout
        window: 5m
        when: value > 0.5 and n > 10
`;

function exportRun(argv: string[]) {
  const output = { stdout: '', stderr: '' };
  const code = runRulesExport(argv, {
    stdout: (text) => (output.stdout += text),
    stderr: (text) => (output.stderr += text),
    evaluators,
  });
  return { code, ...output };
}

test('export writes the rule file and names skips', () => {
  const directory = mkdtempSync(join(tmpdir(), 'vigil-export-unit-'));
  writeFileSync(join(directory, 'service.yaml'), RULES);
  const file = join(directory, 'out.yml');

  const result = exportRun(['--prometheus', '--output', file, join(directory, 'service.yaml')]);
  const written = readFileSync(file, 'utf8');

  assert.equal(result.code, 0);
  assert.equal(result.stdout, '');
  assert.match(written, /expr: vigil_model_error_ratio\{rule="ErrorsHigh"\} > 0\.5/);
  assert.doesNotMatch(written, /ErrorsAndSlow/);
  assert.match(result.stderr, /service\.yaml:\d+:\d+: skipped service\/ErrorsAndSlow: condition/);
  assert.match(result.stderr, /exported 1 alerting rules in 1 groups, skipped 1 rules/);
});

test('export without --prometheus is a usage error', () => {
  const result = exportRun(['rules/']);

  assert.equal(result.code, 2);
  assert.match(result.stderr, /missing --prometheus/);
});

test('export without a path is a usage error', () => {
  const result = exportRun(['--prometheus']);

  assert.equal(result.code, 2);
  assert.match(result.stderr, /missing PATH/);
});

test('export of an invalid rule file exits 1', () => {
  const directory = mkdtempSync(join(tmpdir(), 'vigil-export-unit-'));
  writeFileSync(join(directory, 'bad.yaml'), 'version: 1\ngroups:\n  - name: g\n    rules: 3\n');

  const result = exportRun(['--prometheus', join(directory, 'bad.yaml')]);

  assert.equal(result.code, 1);
  assert.equal(result.stdout, '');
  assert.match(result.stderr, /bad\.yaml:4:/);
});
