import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluators } from '../../../appliance/evaluators/registry.ts';
import { DEFAULT_INGEST_LIMITS } from '../../../appliance/ingest/limits.ts';
import type { Rejection } from '../../../appliance/ingest/rejection.ts';
import { validateEvent } from '../../../appliance/ingest/validate-event.ts';
import { validatePoint } from '../../../appliance/ingest/validate-point.ts';
import { loadRules } from '../../../appliance/rules/load-rules.ts';
import { TemplateError, compileTemplate } from '../../../appliance/rules/template.ts';

const DATA = { labels: { stream: 'bikes' }, value: 1, values: {} };

function prototypeKeys(): string[] {
  return Object.getOwnPropertyNames(Object.prototype).sort();
}

void test('__proto__ feature leaves prototypes alone', () => {
  const before = prototypeKeys();
  const rows = [
    '{"stream":"m","id":"1","timestamp":0,"prediction":1,"features":{"__proto__":{"polluted":1}}}',
    '{"stream":"m","id":"2","timestamp":0,"prediction":1,"features":{"__proto__":"x","constructor":2}}',
  ].map((text) => JSON.parse(text) as unknown);
  const rejections: Rejection[] = [];
  const objectValued = validateEvent(rows[0], 0, DEFAULT_INGEST_LIMITS, rejections);
  const plain = validateEvent(rows[1], 1, DEFAULT_INGEST_LIMITS, rejections);

  assert.equal(objectValued, null);
  assert.equal(rejections[0]?.field, 'features.__proto__');
  assert.equal(rejections[0]?.code, 'invalid_feature');
  assert.ok(plain !== null);
  assert.equal(Object.getPrototypeOf(plain.features), null);
  assert.equal(plain.features.__proto__, 'x');
  assert.equal(plain.features.constructor, 2);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.deepEqual(prototypeKeys(), before);
});

void test('__proto__ label leaves prototypes alone', () => {
  const reserved = JSON.parse(
    '{"name":"m","labels":{"__proto__":"x"},"value":1,"timestamp":0}',
  ) as unknown;
  const ordinary = JSON.parse(
    '{"name":"m","labels":{"constructor":"x"},"value":1,"timestamp":0}',
  ) as unknown;
  const rejections: Rejection[] = [];
  const rejected = validatePoint(reserved, 0, DEFAULT_INGEST_LIMITS, rejections);
  const point = validatePoint(ordinary, 1, DEFAULT_INGEST_LIMITS, rejections);

  assert.equal(rejected, null);
  assert.equal(rejections[0]?.code, 'invalid_label');
  assert.ok(point !== null);
  assert.equal(Object.getPrototypeOf(point.labels), null);
  assert.equal(point.labels.constructor, 'x');
  assert.equal(({} as Record<string, unknown>).x, undefined);
});

void test('template cannot read process.env', () => {
  const secret = 'vigil-template-secret-7c1d';
  process.env.VIGIL_TEMPLATE_SECRET = secret;
  try {
    const sources = [
      '{{ process.env.VIGIL_TEMPLATE_SECRET }}',
      '{{ $labels.constructor }}',
      '{{ $labels.__proto__ }}',
      '{{ $labels.constructor.constructor }}',
      '{{ env "VIGIL_TEMPLATE_SECRET" }}',
      '{{ $values.constructor }}',
    ];
    for (const source of sources) {
      let rendered = '';
      try {
        rendered = compileTemplate(source).render(DATA);
      } catch (error) {
        assert.ok(error instanceof TemplateError, `${source} threw ${String(error)}`);
        continue;
      }
      assert.ok(!rendered.includes(secret), `${source} rendered the secret`);
      assert.ok(!rendered.includes('function'), `${source} rendered a function: ${rendered}`);
    }
  } finally {
    delete process.env.VIGIL_TEMPLATE_SECRET;
  }
});

void test('rule file of 50,000 nested aliases is rejected', () => {
  const lines = ['a0: &a0 [x]'];
  for (let i = 1; i < 50_000; i += 1) lines.push(`a${i}: &a${i} [*a${i - 1}]`);
  const directory = mkdtempSync(join(tmpdir(), 'vigil-alias-'));
  try {
    const file = join(directory, 'bomb.yaml');
    writeFileSync(file, lines.join('\n'));
    const { ruleSet, problems } = loadRules([file], { evaluators, env: {} });

    assert.equal(ruleSet.groups.length, 0);
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.severity, 'error');
    assert.match(problems[0]?.message ?? '', /49999 aliases, more than the 1000 allowed/);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

void test('collection key is a problem, not a warning', () => {
  const warnings: string[] = [];
  const onWarning = (warning: Error) => warnings.push(warning.message);
  process.on('warning', onWarning);
  const directory = mkdtempSync(join(tmpdir(), 'vigil-key-'));
  try {
    const file = join(directory, 'rules.yaml');
    writeFileSync(file, 'version: 1\ngroups:\n  ? [a, b]\n  : 1\n');
    const { problems } = loadRules([file], { evaluators, env: {} });

    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.line, 3);
    assert.match(problems[0]?.message ?? '', /use a plain string key/);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
  return new Promise<void>((resolve) => {
    setImmediate(() => {
      process.off('warning', onWarning);
      assert.deepEqual(warnings, []);
      resolve();
    });
  });
});
