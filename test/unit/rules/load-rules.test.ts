import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { formatProblem } from '../../../appliance/config/config.ts';
import { loadRules } from '../../../appliance/rules/load-rules.ts';
import { fakeEvaluators } from './fake-evaluators.ts';

const directory = mkdtempSync(join(tmpdir(), 'vigil-rules-'));
let count = 0;

function writeRules(lines: string[]): string {
  count += 1;
  const file = join(directory, `rules-${count}.yaml`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** Writes a file with one group; the `rule` lines are indented under `rules:`. */
function oneRule(rule: string[], header = ['version: 1']): string {
  return writeRules([
    ...header,
    'groups:',
    '  - name: g',
    '    rules:',
    ...rule.map((line) => `      ${line}`),
  ]);
}

function load(file: string) {
  const { ruleSet, problems } = loadRules([file], { evaluators: fakeEvaluators, env: {} });
  return { ruleSet, messages: problems.map(formatProblem) };
}

const maeRule = ['- alert: MaeHigh', '  evaluator: quality.mae', '  stream: bike', '  window: 7d'];

test('valid file loads into the expected RuleSet', () => {
  const file = join(directory, 'example.yaml');
  copyFileSync(new URL('./fixtures/example.yaml', import.meta.url), file);
  const { ruleSet, messages } = load(file);
  assert.deepEqual(messages, []);
  const [group] = ruleSet.groups;
  assert.equal(ruleSet.groups.length, 1);
  assert.equal(group?.name, 'bike-model');
  assert.equal(group?.intervalMs, 86_400_000);
  assert.equal(group?.file, file);
  assert.deepEqual(group?.rules, [
    {
      kind: 'alert',
      name: 'BikeMaeHigh',
      evaluator: 'quality.mae',
      inputs: { windowMs: 7 * 86_400_000, params: {}, stream: 'bike' },
      when: 'value > 80',
      forMs: 2 * 86_400_000,
      labels: { severity: 'warning' },
      annotations: { summary: 'MAE {{ $value | printf "%.1f" }} on {{ $labels.stream }}' },
      position: { file, line: 7, column: 9 },
    },
    {
      kind: 'record',
      name: 'vigil:bike_mae:7d',
      evaluator: 'quality.mae',
      inputs: { windowMs: 7 * 86_400_000, params: {}, stream: 'bike' },
      field: 'value',
      labels: {},
      position: { file, line: 16, column: 9 },
    },
    {
      kind: 'alert',
      name: 'FeatureDrift',
      evaluator: 'drift.ks',
      inputs: {
        windowMs: 7 * 86_400_000,
        params: {},
        stream: 'bike',
        features: ['temp', 'hum'],
        reference: { range: { from: Date.UTC(2011, 0, 1), to: Date.UTC(2011, 1, 1) } },
      },
      when: 'p_value < 0.001 and statistic > 0.2',
      forMs: 2 * 86_400_000,
      labels: {},
      annotations: {},
      position: { file, line: 21, column: 9 },
    },
    {
      kind: 'alert',
      name: 'TweetSurge',
      evaluator: 'anomaly.robust_zscore',
      inputs: {
        windowMs: 300_000,
        params: { window: '1d' },
        series: { name: 'twitter_mentions', matchers: { ticker: 'AAPL' } },
      },
      when: 'value > 0.999',
      forMs: 0,
      labels: {},
      annotations: {},
      position: { file, line: 30, column: 9 },
    },
  ]);
});

test('unknown evaluator lists the known ones', () => {
  const file = oneRule([
    '- alert: A',
    '  evaluator: quality.maee',
    '  stream: bike',
    '  window: 1h',
    '  when: value > 1',
  ]);
  const { ruleSet, messages } = load(file);
  assert.deepEqual(messages, [
    `${file}:6:20: groups[0].rules[0].evaluator: unknown evaluator "quality.maee"; known evaluators: anomaly.robust_zscore, drift.ks, quality.mae, quality.r2`,
  ]);
  assert.deepEqual(ruleSet.groups[0]?.rules, []);
});

test('for of 5 minutes is rejected', () => {
  const file = oneRule([...maeRule, '  when: value > 1', '  for: 5 minutes']);
  const { messages } = load(file);
  assert.deepEqual(messages, [
    `${file}:10:14: groups[0].rules[0].for: got "5 minutes", expected a duration such as 5m or 1h30m`,
  ]);
});

test('missing version is an error', () => {
  const file = oneRule([...maeRule, '  when: value > 1'], []);
  const { messages } = load(file);
  assert.deepEqual(messages, [`${file}:1:1: missing version; add "version: 1" as the first key`]);
});

test('version 2 is rejected', () => {
  const file = oneRule([...maeRule, '  when: value > 1', '  newer_key: x'], ['version: 2']);
  const { ruleSet, messages } = load(file);
  assert.deepEqual(messages, [
    `${file}:1:10: version: version 2 is not supported; this Vigil reads rule files of version 1`,
  ]);
  assert.deepEqual(ruleSet.groups, []);
});

test('newer minor version warns and ignores unknown keys', () => {
  const file = oneRule([...maeRule, '  when: value > 1', '  newer_key: x'], ['version: 1.3']);
  const { ruleSet, messages } = load(file);
  assert.equal(messages.length, 2);
  assert.match(messages[0] ?? '', /:1:10: warning: version: version 1.3 is newer than 1.0/);
  assert.match(
    messages[1] ?? '',
    /:10:9: warning: groups\[0\]\.rules\[0\]\.newer_key: unknown key/,
  );
  assert.equal(ruleSet.groups[0]?.rules.length, 1);
});

test('condition naming a missing output field', () => {
  const file = oneRule([
    '- alert: A',
    '  evaluator: drift.ks',
    '  stream: bike',
    '  window: 1d',
    '  reference: { offset: 7d }',
    '  when: p_value < 0.01 and pvalue > 1',
  ]);
  const { messages } = load(file);
  assert.deepEqual(messages, [
    `${file}:10:34: groups[0].rules[0].when: unknown field "pvalue" in when; evaluator drift.ks outputs value, statistic, p_value`,
  ]);
});

test('invalid condition points at the column', () => {
  const file = oneRule([...maeRule, "  when: 'value >> 1'"]);
  const { messages } = load(file);
  assert.deepEqual(messages, [
    `${file}:9:23: groups[0].rules[0].when: invalid condition: unexpected ">", expected a number, a field name or "("`,
  ]);
});

test('template with $label.foo is rejected', () => {
  const file = oneRule([
    ...maeRule,
    '  when: value > 1',
    '  annotations:',
    "    summary: 'on {{ $label.foo }}'",
  ]);
  const { ruleSet, messages } = load(file);
  assert.deepEqual(messages, [
    `${file}:11:27: groups[0].rules[0].annotations.summary: invalid template: unknown variable "$label.foo"; use $value, $labels.<name> or $values.<field>`,
  ]);
  assert.deepEqual(ruleSet.groups[0]?.rules, []);
});

test('unset variable in a rule file is reported', () => {
  const file = oneRule([...maeRule, '  when: value > ${UNSET_THRESHOLD}']);
  const { messages } = load(file);
  assert.equal(messages.length, 1);
  assert.match(
    messages[0] ?? '',
    /:9:15: groups\[0\]\.rules\[0\]\.when: environment variable UNSET_THRESHOLD is not set/,
  );
});

test('input kind, reference and params are checked', () => {
  const file = oneRule([
    '- alert: A',
    '  evaluator: drift.ks',
    '  series: { name: x }',
    '  window: 1d',
    '  when: value > 1',
    '- alert: B',
    '  evaluator: anomaly.robust_zscore',
    '  stream: bike',
    '  series: { name: x }',
    '  window: 1d',
    '  params: { threshold: -1, extra: 2 }',
    '  when: value > 1',
  ]);
  const { messages } = load(file);
  const text = messages.join('\n');
  assert.match(text, /rules\[0\]: evaluator drift.ks reads prediction events; add stream/);
  assert.match(text, /rules\[0\]\.series: evaluator drift.ks reads events, not series/);
  assert.match(text, /rules\[0\]: evaluator drift.ks compares against a reference/);
  assert.match(
    text,
    /rules\[1\]\.stream: evaluator anomaly.robust_zscore reads series, not events; remove stream/,
  );
  assert.match(text, /rules\[1\]\.params\.threshold: got -1, expected a number >= 0/);
  assert.match(
    text,
    /rules\[1\]\.params\.extra: unknown key "extra"; expected one of window, threshold/,
  );
  assert.equal(messages.length, 6);
});

test('duplicate names and bad label names are errors', () => {
  const file = oneRule([
    ...maeRule,
    '  when: value > 1',
    '  labels: { 2bad: x }',
    ...maeRule,
    '  when: value > 2',
  ]);
  const { messages } = load(file);
  assert.equal(messages.length, 2);
  assert.match(messages[0] ?? '', /labels\.2bad: invalid label name "2bad"/);
  assert.match(
    messages[1] ?? '',
    /rules\[1\]: duplicate rule name "MaeHigh" in this group, first at rules\[0\]/,
  );
});

test('misindented annotation is an unknown key', () => {
  const file = oneRule([...maeRule, '  when: value > 1', '  annotations:', '  summary: x']);
  const { messages } = load(file);
  assert.deepEqual(messages, [
    `${file}:10:21: groups[0].rules[0].annotations: got nothing, expected a mapping`,
    `${file}:11:9: groups[0].rules[0].summary: unknown key "summary"; expected one of alert, record, evaluator, stream, features, series, reference, window, params, when, for, resolve_when, keep_firing_for, tolerance, no_data, error, nan, actions, labels, annotations, field`,
  ]);
});

test('directory expands to yaml files in order', () => {
  const folder = mkdtempSync(join(tmpdir(), 'vigil-dir-'));
  const body = (name: string) => `version: 1\ngroups:\n  - name: ${name}\n    rules: []\n`;
  writeFileSync(join(folder, 'b.yml'), body('b'));
  writeFileSync(join(folder, 'a.yaml'), body('a'));
  writeFileSync(join(folder, 'notes.txt'), 'not yaml: [');
  const { ruleSet, problems } = loadRules([folder], { evaluators: fakeEvaluators });
  assert.deepEqual(problems, []);
  assert.deepEqual(
    ruleSet.groups.map((group) => group.name),
    ['a', 'b'],
  );
});
