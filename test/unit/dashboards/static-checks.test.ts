import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';

import type { Dashboard, DataSourceRef, Panel } from '@grafana/schema';
import { parse } from 'yaml';

import {
  buildDashboards,
  generatedDirectory,
  renderDashboard,
} from '../../../dashboards/src/build.ts';
import { allPanels, allStrings, valuesOfKey } from './walk.ts';

const provisioningDirectory = new URL('../../../compose/grafana/provisioning/', import.meta.url);

// Grafana's own template variables, which a dashboard uses without defining them.
const builtInVariables = new Set(['timeFilter', 'interval', 'range', 'rate_interval', 'all']);

function committedDashboards(): Map<string, Dashboard> {
  const dashboards = new Map<string, Dashboard>();
  for (const file of readdirSync(generatedDirectory)
    .filter((name) => name.endsWith('.json'))
    .sort()) {
    dashboards.set(
      file,
      JSON.parse(readFileSync(`${generatedDirectory}${file}`, 'utf8')) as Dashboard,
    );
  }
  return dashboards;
}

function provisionedDatasourceUids(): Set<string> {
  const file = new URL('datasources/vigil.yaml', provisioningDirectory);
  const config = parse(readFileSync(file, 'utf8')) as { datasources: Array<{ uid: string }> };
  return new Set(config.datasources.map((datasource) => datasource.uid));
}

const committed = committedDashboards();

test('regenerated dashboards equal the committed files', () => {
  const built = buildDashboards();
  assert.deepEqual([...built.keys()].sort(), [...committed.keys()]);
  for (const [file, dashboard] of built) {
    const text = readFileSync(`${generatedDirectory}${file}`, 'utf8');
    assert.equal(renderDashboard(dashboard), text, `${file} differs; run npm run dashboards`);
  }
});

test('five dashboards with stable distinct uids', () => {
  const uids = [...committed.values()].map((dashboard) => dashboard.uid);
  assert.deepEqual(uids.sort(), [
    'vigil-alerts',
    'vigil-appliance',
    'vigil-data-health',
    'vigil-model-health',
    'vigil-trends',
  ]);
});

test('dashboards use schema version 39 or later', () => {
  for (const [file, dashboard] of committed) {
    assert.ok(dashboard.schemaVersion >= 39, `${file}: schemaVersion ${dashboard.schemaVersion}`);
    assert.equal(typeof dashboard.title, 'string', `${file}: title`);
    assert.ok(Array.isArray(dashboard.panels), `${file}: panels`);
    assert.equal(dashboard.id, null, `${file}: id`);
  }
});

test('no Angular panel types remain', () => {
  for (const [file, dashboard] of committed) {
    for (const panel of allPanels(dashboard)) {
      assert.ok(
        !['graph', 'singlestat', 'table-old'].includes(panel.type),
        `${file}: ${panel.type}`,
      );
    }
  }
});

test('every datasource uid is provisioned', () => {
  const provisioned = provisionedDatasourceUids();
  assert.equal(provisioned.size, 4);
  for (const [file, dashboard] of committed) {
    const refs = valuesOfKey(dashboard, 'datasource') as DataSourceRef[];
    assert.ok(refs.length > 0, `${file}: no datasource references`);
    for (const ref of refs) {
      assert.equal(typeof ref, 'object', `${file}: datasource by name ${String(ref)}`);
      assert.ok(provisioned.has(ref.uid ?? ''), `${file}: datasource uid ${ref.uid}`);
    }
  }
});

test('panel ids and refIds are unique', () => {
  for (const [file, dashboard] of committed) {
    const ids = allPanels(dashboard).map((panel) => panel.id);
    assert.ok(
      ids.every((id) => typeof id === 'number'),
      `${file}: panel without id`,
    );
    assert.equal(new Set(ids).size, ids.length, `${file}: duplicate panel id`);
    for (const panel of allPanels(dashboard)) {
      const refIds = ((panel as Panel).targets ?? []).map((target) => target.refId);
      assert.ok(
        refIds.every((refId) => typeof refId === 'string' && refId !== ''),
        `${file}: ${panel.title}`,
      );
      assert.equal(new Set(refIds).size, refIds.length, `${file}: ${panel.title} duplicate refId`);
    }
  }
});

test('gridPos stays inside 24 columns', () => {
  for (const [file, dashboard] of committed) {
    for (const panel of allPanels(dashboard)) {
      const grid = panel.gridPos;
      assert.ok(grid !== undefined, `${file}: ${panel.title} has no gridPos`);
      assert.ok(
        grid.x >= 0 && grid.w > 0 && grid.h > 0,
        `${file}: ${panel.title} ${JSON.stringify(grid)}`,
      );
      assert.ok(grid.x + grid.w <= 24, `${file}: ${panel.title} ends at column ${grid.x + grid.w}`);
    }
  }
});

test('every variable used is defined', () => {
  for (const [file, dashboard] of committed) {
    const defined = new Set((dashboard.templating?.list ?? []).map((variable) => variable.name));
    const used = allStrings({ ...dashboard, templating: undefined }).flatMap((text) =>
      [...text.matchAll(/\$\{?(\w+)/g)].map((match) => match[1] ?? ''),
    );
    for (const name of used) {
      if (name.startsWith('__') && builtInVariables.has(name.slice(2))) continue;
      if (builtInVariables.has(name)) continue;
      assert.ok(defined.has(name), `${file}: $${name} is used but not defined`);
    }
  }
});

test('variables chain only on variables defined before them', () => {
  for (const [file, dashboard] of committed) {
    const seen = new Set<string>();
    for (const variable of dashboard.templating?.list ?? []) {
      for (const match of String(variable.query ?? '').matchAll(/\$(\w+)/g)) {
        assert.ok(seen.has(match[1] ?? ''), `${file}: ${variable.name} uses $${match[1]} first`);
      }
      seen.add(variable.name);
    }
  }
});

test('dashboards provider parses and points at the mounted folder', () => {
  const file = new URL('dashboards/vigil.yaml', provisioningDirectory);
  const config = parse(readFileSync(file, 'utf8')) as {
    apiVersion: number;
    providers: Array<{
      type: string;
      options: { path: string; foldersFromFilesStructure: boolean };
    }>;
  };
  assert.equal(config.apiVersion, 1);
  assert.equal(config.providers.length, 1);
  assert.equal(config.providers[0]?.type, 'file');
  assert.equal(config.providers[0]?.options.path, '/var/lib/grafana/dashboards');
  assert.equal(config.providers[0]?.options.foldersFromFilesStructure, true);
});
