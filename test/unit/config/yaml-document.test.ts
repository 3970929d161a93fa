import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseYamlText } from '../../../appliance/config/yaml-pipeline.ts';

function problemsOf(text: string) {
  return parseYamlText(text, 'x.yaml', {}).problems;
}

test('tab-indented key is rejected with its line', () => {
  const problems = problemsOf('version: 1\ngroups:\n  - name: a\n\trules: []\n');
  assert.equal(problems.length, 1);
  assert.equal(problems[0]?.line, 4);
  assert.equal(problems[0]?.column, 1);
  assert.match(problems[0]?.message ?? '', /tab used for indentation/);
});

test('duplicated key names the key and the first line', () => {
  const problems = problemsOf('groups:\n  - name: a\n    interval: 1m\n    interval: 5m\n');
  assert.equal(problems.length, 1);
  assert.equal(problems[0]?.line, 4);
  assert.equal(problems[0]?.column, 5);
  assert.equal(problems[0]?.path, 'groups[0].interval');
  assert.match(problems[0]?.message ?? '', /duplicate key "interval", first set at line 3/);
});

test('custom tag is rejected', () => {
  const problems = problemsOf('a: !js/function "return 1"\nb: !!str 2\n');
  assert.equal(problems.length, 1);
  assert.equal(problems[0]?.path, 'a');
  assert.match(problems[0]?.message ?? '', /custom tag !js\/function is not supported/);
});

test('billion laughs document is rejected fast', () => {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (const [name, previous] of ['ba', 'cb', 'dc', 'ed', 'fe', 'gf', 'hg', 'ih'].map((pair) => [
    ...pair,
  ])) {
    lines.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
  }
  const { yaml, problems } = parseYamlText(lines.join('\n'), 'bomb.yaml', {});
  assert.equal(yaml?.value, undefined);
  assert.equal(problems.length, 1);
  assert.match(problems[0]?.message ?? '', /aliases expand to too many nodes/);
});

test('50,000 nested aliases are rejected before composing', () => {
  let text = 'a0: &a0 [x, x]\n';
  for (let i = 1; i < 50_000; i++) text += `a${i}: &a${i} [*a${i - 1}, *a${i - 1}]\n`;
  const { yaml, problems } = parseYamlText(text, 'bomb.yaml', {});
  assert.equal(yaml, undefined);
  assert.equal(problems.length, 1);
  assert.match(problems[0]?.message ?? '', /99998 aliases, more than the 1000 allowed/);
});

test('a few aliases expand normally', () => {
  const { yaml, problems } = parseYamlText('base: &b { severity: page }\nx: *b\n', 'ok.yaml', {});
  assert.deepEqual(problems, []);
  assert.deepEqual(yaml?.value, { base: { severity: 'page' }, x: { severity: 'page' } });
});

test('__proto__ key stays an own property', () => {
  const { yaml } = parseYamlText('__proto__: { polluted: true }\n', 'p.yaml', {});
  const value = yaml?.value as Record<string, unknown>;
  assert.equal(Object.hasOwn(value, '__proto__'), true);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});
