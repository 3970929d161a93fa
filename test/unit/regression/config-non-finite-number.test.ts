import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { loadConfig } from '../../../appliance/config/load-config.ts';

// YAML reads 1e400 as Infinity and .nan as NaN, which JSON.stringify prints as null.
const cases: [string, string][] = [
  ['max_events: 1e400', 'got Infinity, expected an integer'],
  ['max_events: -.inf', 'got -Infinity, expected an integer'],
  ['max_points: .nan', 'got NaN, expected an integer'],
];

for (const [line, message] of cases) {
  void test(`config error shows ${line.split(': ')[1]}`, () => {
    const directory = mkdtempSync(join(tmpdir(), 'vigil-config-'));
    const file = join(directory, 'appliance.yaml');
    writeFileSync(file, `windows:\n  ${line}\n`);

    const { problems } = loadConfig({ path: file, env: {}, cwd: directory });

    assert.equal(problems.length, 1);
    assert.equal(problems[0]!.line, 2);
    assert.match(problems[0]!.message, new RegExp(message));
  });
}
