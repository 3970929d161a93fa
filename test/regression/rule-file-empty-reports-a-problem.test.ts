import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatProblem } from '../../appliance/config/config.ts';
import { evaluators } from '../../appliance/evaluators/registry.ts';
import { loadRules } from '../../appliance/rules/load-rules.ts';

// An empty rule file, or one holding only comments, parses to a null document. The loader read
// `.groups` of that null and threw a TypeError, so `vigil rules check` printed a stack trace and
// `vigil serve` did not start, in place of one problem naming the file.
for (const [name, text] of [
  ['empty', ''],
  ['comment only', '# rules come later\n'],
] as const) {
  void test(`${name} rule file is a problem, not a crash`, () => {
    const file = join(mkdtempSync(join(tmpdir(), 'vigil-empty-rules-')), 'empty.yaml');
    writeFileSync(file, text);

    const { ruleSet, problems } = loadRules([file], { evaluators, env: {} });

    assert.deepEqual(ruleSet.groups, []);
    assert.ok(problems.length >= 1, 'expected at least one problem');
    assert.match(formatProblem(problems[0]!), /empty\.yaml:1:1: /);
    assert.match(formatProblem(problems[0]!), /version/);
  });
}
