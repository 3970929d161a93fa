import assert from 'node:assert/strict';
import { test } from 'node:test';
import { substituteText } from '../../../appliance/config/env-substitution.ts';
import { parseYamlText } from '../../../appliance/config/yaml-pipeline.ts';

test('unset variable without default is a problem', () => {
  const { yaml, problems } = parseYamlText('http:\n  host: ${UNSET_HOST}\n', 'a.yaml', {});
  assert.equal(problems.length, 1);
  assert.equal(problems[0]?.line, 2);
  assert.equal(problems[0]?.column, 9);
  assert.equal(problems[0]?.path, 'http.host');
  assert.match(problems[0]?.message ?? '', /environment variable UNSET_HOST is not set/);
  assert.deepEqual(yaml?.value, { http: { host: '' } });
});

test('default applies when unset or empty', () => {
  assert.equal(substituteText('${A:-x}', {}).text, 'x');
  assert.equal(substituteText('${A:-x}', { A: '' }).text, 'x');
  assert.equal(substituteText('${A:-x}', { A: 'set' }).text, 'set');
});

test('double dollar writes a literal dollar', () => {
  assert.deepEqual(substituteText('cost $$5 and $${A}', { A: 'no' }), {
    text: 'cost $5 and ${A}',
    problems: [],
  });
});

test('invalid reference is a problem', () => {
  assert.match(substituteText('${1A}', {}).problems[0] ?? '', /invalid variable name "1A"/);
  assert.match(substituteText('${A', {}).problems[0] ?? '', /unterminated/);
});

test('plain value becomes a number, quoted stays text', () => {
  const { yaml } = parseYamlText('a: ${PORT}\nb: "${PORT}"\n', 'a.yaml', { PORT: '9680' });
  assert.deepEqual(yaml?.value, { a: 9680, b: '9680' });
});

test('keys are not substituted', () => {
  const { yaml } = parseYamlText('${A}: 1\n', 'a.yaml', { A: 'x' });
  assert.deepEqual(yaml?.value, { '${A}': 1 });
});

test('environment is skipped when none is given', () => {
  const { yaml, problems } = parseYamlText('a: ${UNSET}\n', 'a.yaml', undefined);
  assert.deepEqual(problems, []);
  assert.deepEqual(yaml?.value, { a: '${UNSET}' });
});
