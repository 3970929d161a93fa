import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';

import { renderEvaluatorReference } from '../../../appliance/evaluators/reference-doc.ts';
import { evaluators } from '../../../appliance/evaluators/registry.ts';

test('evaluator reference matches the registry', () => {
  const path = resolve(import.meta.dirname, '..', '..', '..', 'docs', 'evaluators.md');

  const committed = readFileSync(path, 'utf8');

  assert.equal(committed, renderEvaluatorReference(evaluators), 'run npm run docs:evaluators');
});

test('every evaluator has a value output with a vigil_ metric', () => {
  for (const factory of evaluators.values()) {
    assert.ok(factory.outputs.value, `${factory.name} has no value output`);
    for (const spec of Object.values(factory.outputs)) {
      assert.match(spec.metric, /^vigil_[a-z0-9_]+$/, `${factory.name}: ${spec.metric}`);
    }
  }
});
