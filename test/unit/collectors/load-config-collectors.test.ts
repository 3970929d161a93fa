import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { formatProblem } from '../../../appliance/config/config.ts';
import { loadConfig } from '../../../appliance/config/load-config.ts';

function loadText(text: string) {
  const directory = mkdtempSync(join(tmpdir(), 'vigil-config-'));
  writeFileSync(join(directory, 'appliance.yaml'), text);
  return { directory, ...loadConfig({ path: 'appliance.yaml', env: {}, cwd: directory }) };
}

test('config loads the collectors section', () => {
  const { directory, config, problems } = loadText(
    'store:\n  path: state\ncollectors:\n  - name: host\n    kind: host\n    interval: 30s\n',
  );
  assert.deepEqual(problems, []);
  assert.deepEqual(config.collectors, [
    { kind: 'host', name: 'host', intervalMs: 30_000, paths: ['/'] },
  ]);
  assert.equal(config.store.path, join(directory, 'state'));
});

test('config reports a collector without a kind', () => {
  const { config, problems } = loadText('collectors:\n  - name: host\n');
  assert.equal(config.collectors, undefined);
  assert.equal(problems.length, 1);
  assert.match(formatProblem(problems[0]!), /^.*appliance\.yaml:2:5: collectors\[0\]/);
});
