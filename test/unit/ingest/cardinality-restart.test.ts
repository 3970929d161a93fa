import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { startAppliance } from '../../../appliance/app.ts';
import type { PredictionEvent, SeriesPoint } from '../../../appliance/core/types.ts';
import { loadConfig } from '../../../appliance/config/load-config.ts';
import { CardinalityGuard } from '../../../appliance/ingest/cardinality.ts';
import type { Rejection } from '../../../appliance/ingest/rejection.ts';
import { silentLogger } from '../../../appliance/log/logger.ts';
import { features } from '../store/fixtures.ts';

const LIMITS = {
  maxStreams: 2,
  maxMetrics: 2,
  maxSeriesPerMetric: 3,
  maxLabelValuesPerLabel: 2,
  maxCategoriesPerFeature: 2,
};

interface Reply {
  stored?: number;
  rejected: { code: string }[];
}

function event(stream: string, color: string): PredictionEvent {
  return {
    stream,
    id: `${stream}-${color}`,
    version: 'v1',
    timestamp: 0,
    features: features({ color }),
    prediction: 1,
    actual: null,
    latencyMs: null,
    error: false,
  };
}

function point(name: string, labels: Record<string, string>): SeriesPoint {
  return { name, labels, value: 1, timestamp: 0 };
}

/** Opens a guard on the key file, as the appliance does at each start. */
function openGuard(path: string): CardinalityGuard {
  return new CardinalityGuard(new Registry(), LIMITS, { path, logger: silentLogger() });
}

function admitsEvent(guard: CardinalityGuard, record: PredictionEvent): boolean {
  const out: Rejection[] = [];
  return guard.admitEvent(record, 0, out);
}

function admitsPoint(guard: CardinalityGuard, record: SeriesPoint): boolean {
  const out: Rejection[] = [];
  return guard.admitPoint(record, 0, out);
}

void test('guard keeps limits across restart', (t) => {
  const directory = mkdtempSync(join(tmpdir(), 'vigil-cardinality-'));
  t.after(() => rmSync(directory, { recursive: true, force: true }));
  const path = join(directory, 'cardinality-keys.ndjson');

  const first = openGuard(path);
  assert.equal(admitsEvent(first, event('bikes', 'red')), true);
  assert.equal(admitsEvent(first, event('bikes', 'blue')), true);
  assert.equal(admitsEvent(first, event('trains', 'red')), true);
  assert.equal(admitsPoint(first, point('cpu', { host: 'a' })), true);
  assert.equal(admitsPoint(first, point('cpu', { host: 'b' })), true);
  assert.equal(admitsPoint(first, point('cpu', { host: 'a', dc: 'x' })), true);
  assert.equal(admitsPoint(first, point('mem', { host: 'c' })), true);
  assert.equal(admitsPoint(first, point('mem', { host: 'd' })), true);
  // A torn last line, as a kill in the middle of a write leaves it.
  appendFileSync(path, '{"kind":"stream","val');

  const restarted = openGuard(path);
  assert.equal(admitsEvent(restarted, event('cars', 'red')), false, 'third stream');
  assert.equal(admitsEvent(restarted, event('bikes', 'green')), false, 'third category');
  assert.equal(admitsEvent(restarted, event('bikes', 'blue')), true, 'old category');
  assert.equal(admitsEvent(restarted, event('trains', 'red')), true, 'old stream');
  assert.equal(admitsPoint(restarted, point('disk', { host: 'a' })), false, 'third metric');
  const fourthSeries = point('cpu', { host: 'b', dc: 'x' });
  assert.equal(admitsPoint(restarted, fourthSeries), false, 'fourth series');
  assert.equal(admitsPoint(restarted, point('cpu', { host: 'a' })), true, 'old series');
  assert.equal(admitsPoint(restarted, point('mem', { host: 'e' })), false, 'third host value');
  assert.equal(admitsPoint(restarted, point('mem', { host: 'd' })), true, 'old host value');
});

void test('appliance restores limits after restart', async (t) => {
  const directory = mkdtempSync(join(tmpdir(), 'vigil-cardinality-app-'));
  t.after(() => rmSync(directory, { recursive: true, force: true }));
  mkdirSync(join(directory, 'rules'));
  const file = join(directory, 'appliance.yaml');
  writeFileSync(
    file,
    ['http: { port: 0 }', 'store: { path: ./data }', 'cardinality: { max_streams: 2 }'].join('\n'),
  );
  const { config, problems } = loadConfig({ path: file, env: {}, cwd: directory });
  assert.deepEqual(problems, []);

  const post = async (url: string, stream: string, id: string) => {
    const body = JSON.stringify({ stream, id, timestamp: 1_000, features: {}, prediction: 1 });
    const response = await fetch(`${url}/api/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    // A 200 lists rejected rows at the top level, a 400 inside `error`.
    const reply = (await response.json()) as Reply & { error?: Reply };
    return {
      status: response.status,
      stored: reply.stored,
      rejected: (reply.error ?? reply).rejected,
    };
  };

  const first = await startAppliance(config, { logger: silentLogger() });
  assert.equal((await post(first.url, 'bikes', '1')).status, 200);
  assert.equal((await post(first.url, 'trains', '1')).status, 200);
  await first.close();

  const second = await startAppliance(config, { logger: silentLogger() });
  t.after(() => second.close());
  const fresh = await post(second.url, 'cars', '1');
  const old = await post(second.url, 'bikes', '2');
  assert.equal(fresh.status, 400);
  assert.equal(fresh.rejected[0]?.code, 'cardinality_limit');
  assert.equal(old.status, 200);
  assert.equal(old.stored, 1);
});
