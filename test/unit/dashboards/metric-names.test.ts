import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';

import { Registry, collectDefaultMetrics } from 'prom-client';

import { buildDashboards } from '../../../dashboards/src/build.ts';
import { allStrings } from './walk.ts';

// Metric names in Vigil's references: the metrics page, the evaluator outputs (generated from
// the registry) and the InfluxDB writer metrics on the storage page.
function documentedMetricNames(): Set<string> {
  const names = new Set<string>();
  for (const page of ['metrics.md', 'evaluators.md', 'storage.md']) {
    const text = readFileSync(new URL(`../../../docs/${page}`, import.meta.url), 'utf8');
    for (const match of text.matchAll(/\bvigil_[a-z0-9_]+/g)) names.add(match[0]);
  }
  return names;
}

// Metric names registered in the appliance's source (`name: 'vigil_...'`), for metrics that
// no reference page lists yet, such as the outbox gauges.
function registeredMetricNames(): Set<string> {
  const names = new Set<string>();
  const root = new URL('../../../appliance/', import.meta.url);
  for (const file of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.ts')) continue;
    const text = readFileSync(new URL(file, root), 'utf8');
    for (const match of text.matchAll(/name: '(vigil_[a-z0-9_]+)'/g)) names.add(match[1] ?? '');
  }
  return names;
}

// The Node.js process metrics, registered by Vigil through collectDefaultMetrics.
async function defaultMetricNames(): Promise<Set<string>> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'vigil_' });
  const metrics = await registry.getMetricsAsJSON();
  return new Set(metrics.map((metric) => metric.name));
}

test('dashboards query only metrics Vigil serves', async () => {
  const known = new Set([
    ...documentedMetricNames(),
    ...registeredMetricNames(),
    ...(await defaultMetricNames()),
  ]);
  const histogramSeries = /_(bucket|sum|count)$/;

  for (const [file, dashboard] of buildDashboards()) {
    const used = allStrings(dashboard).flatMap((text) => text.match(/\bvigil_[a-z0-9_]+/g) ?? []);
    assert.ok(used.length > 0, `${file}: no vigil_ metric`);
    for (const name of used) {
      const base = name.replace(histogramSeries, '');
      assert.ok(known.has(name) || known.has(base), `${file}: ${name} is not a Vigil metric`);
    }
  }
});
