import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { Collector, CollectorHealth } from '../../../collectors/collector.ts';
import { collectorChecks } from '../../../appliance/http/routes/health.ts';

interface Target {
  url: string;
  up: boolean;
  reason: string | null;
}

function collector(name: string, health: Partial<CollectorHealth>, targets?: Target[]): Collector {
  const full: CollectorHealth = {
    state: 'running',
    lastSuccessMs: 1_000,
    lastError: null,
    consecutiveFailures: 0,
    ...health,
  };
  const base = {
    name,
    kind: targets === undefined ? 'file' : 'prometheus',
    start: async () => {},
    stop: async () => {},
    health: () => full,
  };
  return targets === undefined ? base : Object.assign(base, { targets: () => targets });
}

const target = (url: string, up: boolean, reason: string | null = null): Target => ({
  url,
  up,
  reason,
});

test('collector checks report ok after a success', () => {
  const checks = collectorChecks([collector('logs', {})]);

  assert.deepEqual(checks, { collector_logs: 'ok' });
});

test('collector checks report a backoff reason', () => {
  const failing = collector('logs', {
    state: 'backoff',
    lastError: 'store write failed: disk full',
    consecutiveFailures: 2,
  });

  const checks = collectorChecks([failing]);

  assert.equal(checks.collector_logs, 'failing: store write failed: disk full');
});

test('collector checks tell starting from stopped', () => {
  const checks = collectorChecks([
    collector('fresh', { lastSuccessMs: null }),
    collector('done', { state: 'stopped' }),
  ]);

  assert.equal(checks.collector_fresh, 'starting');
  assert.equal(checks.collector_done, 'stopped');
});

test('scrape collector fails with a down target', () => {
  const targets = [
    target('http://127.0.0.1:1/metrics', true),
    target('http://127.0.0.1:2/metrics', false, 'scrape timed out after 200 ms'),
    target('http://127.0.0.1:3/metrics', false, 'HTTP status 500; expected 200'),
  ];

  const checks = collectorChecks([collector('models', {}, targets)]);

  assert.equal(
    checks.collector_models,
    'failing: http://127.0.0.1:2/metrics: scrape timed out after 200 ms (and 1 more targets down)',
  );
});

test('scrape collector is ok with every target up', () => {
  const targets = [target('http://127.0.0.1:1/metrics', true)];

  const checks = collectorChecks([collector('models', {}, targets)]);

  assert.equal(checks.collector_models, 'ok');
});
