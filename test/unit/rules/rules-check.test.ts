import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runRulesCheck } from '../../../appliance/cli/rules-check.ts';
import { fakeEvaluators } from './fake-evaluators.ts';

function run(paths: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = runRulesCheck(paths, {
    stdout: (text) => stdout.push(text),
    stderr: (text) => stderr.push(text),
    evaluators: fakeEvaluators,
  });
  return { code, stdout, stderr };
}

const example = new URL('./fixtures/example.yaml', import.meta.url).pathname;

test('valid file exits 0 with a summary', () => {
  const { code, stdout, stderr } = run([example]);
  assert.equal(code, 0);
  assert.deepEqual(stderr, []);
  assert.deepEqual(stdout, [`${example}: 1 group, 4 rules`]);
});

test('invalid file exits 1 with positions', () => {
  const folder = mkdtempSync(join(tmpdir(), 'vigil-check-'));
  const file = join(folder, 'bad.yaml');
  const lines = ['version: 1', 'groups:', '  - name: g', '    rules:', '      - alert: A'];
  lines.push('        evaluator: nope', '        window: 1h', '        when: value > 1');
  lines.push('        for: 5 minutes');
  writeFileSync(file, `${lines.join('\n')}\n`);

  const { code, stdout, stderr } = run([file]);
  assert.equal(code, 1);
  assert.deepEqual(stderr, [
    `${file}:6:20: groups[0].rules[0].evaluator: unknown evaluator "nope"; known evaluators: anomaly.robust_zscore, drift.ks, quality.mae, quality.r2`,
    `${file}:9:14: groups[0].rules[0].for: got "5 minutes", expected a duration such as 5m or 1h30m`,
  ]);
  assert.deepEqual(stdout, [`${file}: 1 group, 1 rule, 2 errors`]);
});

test('missing path exits 1', () => {
  const { code, stderr } = run(['/nonexistent/rules.yaml']);
  assert.equal(code, 1);
  assert.deepEqual(stderr, [
    '/nonexistent/rules.yaml:1:1: file or directory not found; check the path',
  ]);
});

test('no paths is a usage error', () => {
  const { code, stderr } = run([]);
  assert.equal(code, 2);
  assert.equal(stderr.length, 1);
});
