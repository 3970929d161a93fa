import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { runRulesCheck } from '../../../appliance/cli/rules-check.ts';
import { evaluators } from '../../../appliance/evaluators/registry.ts';

// Options the params schema does not bound used to pass `rules check` and then stop
// `vigil serve` at start with a stack trace. The check now builds each evaluator once.
const cases = [
  { evaluator: 'anomaly.contextual', param: 'entropy_weight: -1', field: 'entropy_weight' },
  { evaluator: 'anomaly.contextual', param: 'levels: 0', field: 'levels' },
  { evaluator: 'anomaly.ensemble', param: 'calibration_bins: 0', field: 'calibration_bins' },
  { evaluator: 'forecast.holt', param: 'horizon: 0s', field: 'horizon' },
];

function check(evaluator: string, param: string) {
  const folder = mkdtempSync(join(tmpdir(), 'vigil-check-options-'));
  const file = join(folder, 'rules.yaml');
  const lines = ['version: 1', 'groups:', '  - name: g', '    interval: 5m', '    rules:'];
  lines.push('      - alert: A', `        evaluator: ${evaluator}`, '        series: { name: x }');
  lines.push(
    '        window: 1h',
    '        when: value > 0.5',
    '        params:',
    `          ${param}`,
  );
  writeFileSync(file, `${lines.join('\n')}\n`);

  const stderr: string[] = [];
  const code = runRulesCheck([file], {
    stdout: () => {},
    stderr: (text) => stderr.push(text),
    evaluators,
  });
  rmSync(folder, { recursive: true, force: true });
  return { code, stderr, file };
}

for (const { evaluator, param, field } of cases) {
  test(`rules check rejects ${evaluator} ${param}`, () => {
    const { code, stderr, file } = check(evaluator, param);

    assert.equal(code, 1);
    assert.equal(stderr.length, 1);
    assert.ok(stderr[0]!.startsWith(`${file}:12:`), stderr[0]);
    assert.match(stderr[0]!, new RegExp(`groups\\[0\\]\\.rules\\[0\\]\\.params\\.${field}: `));
    assert.match(stderr[0]!, /rejected its params/);
  });
}

test('rules check accepts valid detector options', () => {
  const { code, stderr } = check('anomaly.contextual', 'levels: 8');

  assert.equal(code, 0);
  assert.deepEqual(stderr, []);
});
