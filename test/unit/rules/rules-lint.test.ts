import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runRulesCheck } from '../../../appliance/cli/rules-check.ts';
import { fakeEvaluators } from './fake-evaluators.ts';

function write(lines: string[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'vigil-lint-')), 'rules.yaml');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

function check(file: string, lintFatal = false) {
  const stderr: string[] = [];
  const code = runRulesCheck([file], {
    stdout: () => undefined,
    stderr: (text) => stderr.push(text),
    evaluators: fakeEvaluators,
    lintFatal,
  });
  return { code, stderr };
}

const header = ['version: 1', 'groups:', '  - name: g', '    rules:'];
const mae = ['        evaluator: quality.mae', '        stream: bike', '        window: 1h'];

void test('label templated from value is a lint', () => {
  const file = write([
    ...header,
    '      - alert: A',
    ...mae,
    '        when: value > 1',
    "        labels: { level: '{{ $value }}' }",
  ]);

  const { code, stderr } = check(file);
  const fatal = check(file, true);

  assert.equal(code, 0);
  assert.equal(fatal.code, 3);
  assert.match(stderr[0] ?? '', /:10:\d+: warning: groups\[0\]\.rules\[0\]\.labels\.level: /);
  assert.match(stderr[0] ?? '', /templated from the value/);
});

void test('duplicate rule definitions are a lint', () => {
  const file = write([
    ...header,
    '      - alert: A',
    ...mae,
    '        when: value > 1',
    '      - alert: B',
    ...mae,
    '        when: value > 1',
  ]);

  const { code, stderr } = check(file, true);

  assert.equal(code, 3);
  assert.match(
    stderr[0] ?? '',
    /:10:9: warning: groups\[0\]\.rules\[1\]: rule B duplicates rule A/,
  );
});

void test('misindented annotation fails naming the key', () => {
  const file = write([
    ...header,
    '      - alert: A',
    ...mae,
    '        when: value > 1',
    '        annotations:',
    "        summary: 'MAE high'",
  ]);

  const { code, stderr } = check(file);

  assert.equal(code, 1);
  assert.ok(stderr.some((line) => line.startsWith(`${file}:11:9: groups[0].rules[0].summary:`)));
  assert.ok(stderr.some((line) => line.includes('unknown key "summary"')));
});

void test('labels list at group level fails', () => {
  const file = write([
    'version: 1',
    'groups:',
    '  - name: g',
    '    labels:',
    '      - severity: page',
    '    rules:',
    '      - alert: A',
    ...mae,
    '        when: value > 1',
  ]);

  const { code, stderr } = check(file);

  assert.equal(code, 1);
  assert.ok(stderr.some((line) => line.startsWith(`${file}:4:5: groups[0].labels:`)));
  assert.ok(stderr.some((line) => line.includes('unknown key "labels"')));
});

void test('label typo and unknown function fail at check time', () => {
  const file = write([
    ...header,
    '      - alert: A',
    ...mae,
    '        when: value > 1',
    '        annotations:',
    "          summary: '{{ $label.foo }}'",
    "          description: '{{ humanise $value }}'",
  ]);

  const { code, stderr } = check(file);

  assert.equal(code, 1);
  assert.ok(stderr.some((line) => line.includes('annotations.summary: invalid template')));
  assert.ok(stderr.some((line) => line.includes('annotations.description: invalid template')));
});

void test('clean file passes with lint-fatal', () => {
  const file = write([...header, '      - alert: A', ...mae, '        when: value > 1']);

  assert.equal(check(file, true).code, 0);
});
