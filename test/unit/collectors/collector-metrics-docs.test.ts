import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';

import { startAppliance } from '../../../appliance/app.ts';
import { loadConfig } from '../../../appliance/config/load-config.ts';
import { silentLogger } from '../../../appliance/log/logger.ts';

const DOCS = resolve(import.meta.dirname, '..', '..', '..', 'docs');

/** Returns `name type` for each `vigil_collector_` family in a /metrics exposition. */
function exportedFamilies(exposition: string): string[] {
  return [...exposition.matchAll(/^# TYPE (vigil_collector_\w+) (\w+)$/gm)]
    .map((match) => `${match[1]} ${match[2]}`)
    .sort();
}

/** Returns `name type` for each `vigil_collector_` row of the metrics.md tables. */
function documentedFamilies(markdown: string): string[] {
  return [...markdown.matchAll(/^\| `(vigil_collector_\w+)` \| (\w+) \|/gm)]
    .map((match) => `${match[1]} ${match[2]}`)
    .sort();
}

/** Returns the names in the first column of the collectors.md tables. */
function listedNames(markdown: string): string[] {
  return [...markdown.matchAll(/^\| `(vigil_collector_\w+)` \|/gm)]
    .map((match) => match[1]!)
    .sort();
}

test('collector metrics docs match /metrics', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'vigil-metrics-docs-'));
  mkdirSync(join(directory, 'rules'));
  const file = join(directory, 'appliance.yaml');
  writeFileSync(file, 'http: { port: 0 }\nstore: { path: ./data }\n');
  const { config, problems } = loadConfig({ path: file, env: {}, cwd: '/' });
  assert.deepEqual(problems, []);
  const appliance = await startAppliance(config, { logger: silentLogger() });

  let exported: string[];
  try {
    exported = exportedFamilies(await (await fetch(`${appliance.url}/metrics`)).text());
  } finally {
    await appliance.close();
  }

  const metricsPage = readFileSync(join(DOCS, 'metrics.md'), 'utf8');
  const collectorsPage = readFileSync(join(DOCS, 'collectors.md'), 'utf8');
  assert.ok(exported.length >= 5, `exported ${exported.join(', ')}`);
  assert.deepEqual(documentedFamilies(metricsPage), exported, 'docs/metrics.md');
  assert.deepEqual(
    listedNames(collectorsPage),
    exported.map((family) => family.split(' ')[0]),
    'docs/collectors.md',
  );
});
