import { test } from 'node:test';
import assert from 'node:assert/strict';

import { sourcesOf } from '../../../appliance/rules/sources.ts';
import {
  MINUTE,
  alertRule,
  at,
  createTestEngine,
  group,
  output,
  recordRule,
  sampleOf,
  type Call,
} from './engine-fixtures.ts';

void test('group runs its rules in order at one time', () => {
  const calls: Call[] = [];
  const rules = ['First', 'Second', 'Third'].map((name) => alertRule(name, () => [output(0)]));
  const { engine } = createTestEngine([group('g', rules)], { calls });

  engine.evaluateGroupAt('g', at(10));

  assert.deepEqual(
    calls.map((call) => call.rule),
    ['First', 'Second', 'Third'],
  );
  for (const call of calls) {
    assert.equal(call.time, at(10));
    assert.equal(call.from, at(5));
    assert.equal(call.to, at(10));
  }
});

void test('throwing evaluator does not stop the group', async () => {
  const calls: Call[] = [];
  const broken = alertRule('Broken', () => {
    throw new Error('window is empty');
  });
  const healthy = alertRule('Healthy', () => [output(1)]);
  const { engine, metrics, sink } = createTestEngine([group('g', [broken, healthy])], { calls });

  const failures = engine.evaluateGroupAt('g', at(1));

  assert.equal(failures, 1);
  assert.deepEqual(
    calls.map((call) => call.rule),
    ['Broken', 'Healthy'],
  );
  assert.equal(
    await sampleOf(metrics, 'vigil_rule_evaluation_failures_total', { group: 'g', rule: 'Broken' }),
    1,
  );
  assert.equal(await sampleOf(metrics, 'vigil_rule_group_evaluations_total', { group: 'g' }), 1);
  assert.deepEqual(
    sink.batches[0]?.alerts.map((alert) => alert.labels.alertname),
    ['Healthy'],
  );
});

void test('results are stored and exported as gauges', async () => {
  const script = () => [
    { ...output(0.4, { feature: 'temp' }), values: { value: 0.4, extra: 2 } },
    output(0.1, { feature: 'hum' }),
  ];
  const { engine, store, metrics } = createTestEngine([group('g', [alertRule('Drift', script)])]);

  engine.evaluateGroupAt('g', at(1));

  const results = store.queryResults('Drift', { from: at(0), to: at(2) });
  assert.equal(results.length, 2);
  assert.equal(results[0]?.timestamp, at(1));
  assert.equal(results[0]?.group, 'g');
  assert.equal(results[0]?.evaluator, 'test.scripted');
  const labels = { rule: 'Drift', series: 'x', feature: 'temp' };
  assert.equal(await sampleOf(metrics, 'vigil_test_value', labels), 0.4);
  assert.equal(await sampleOf(metrics, 'vigil_test_extra', labels), 2);
  assert.equal(await sampleOf(metrics, 'vigil_test_extra', { feature: 'hum' }), undefined);
});

void test('gauge drops a labelset that disappears', async () => {
  let features = ['temp', 'hum'];
  const script = () => features.map((feature) => output(1, { feature }));
  const { engine, metrics } = createTestEngine([group('g', [alertRule('Drift', script)])]);

  engine.evaluateGroupAt('g', at(1));
  features = ['temp'];
  engine.evaluateGroupAt('g', at(2));

  assert.equal(await sampleOf(metrics, 'vigil_test_value', { feature: 'temp' }), 1);
  assert.equal(await sampleOf(metrics, 'vigil_test_value', { feature: 'hum' }), undefined);
});

void test('gauge takes series labels that appear later', async () => {
  let labels: Record<string, string> = { feature: 'a' };
  const { engine, metrics } = createTestEngine([
    group('g', [alertRule('Surge', () => [output(3, labels)])]),
  ]);

  engine.evaluateGroupAt('g', at(1));
  labels = { feature: 'a', ticker: 'AAPL' };
  engine.evaluateGroupAt('g', at(2));

  assert.equal(await sampleOf(metrics, 'vigil_test_value', { ticker: 'AAPL' }), 3);
  const text = await metrics.registry.getSingleMetricAsString('vigil_test_value');
  assert.match(text, /vigil_test_value\{feature="a",rule="Surge",series="x",ticker="AAPL"\} 3/);
  assert.equal(text.match(/^vigil_test_value\{/gm)?.length, 1);
});

void test('recording rule writes points and a gauge', async () => {
  const script = () => [output(42, { feature: 'temp' }), output(Number.NaN, { feature: 'hum' })];
  const record = recordRule('stream:mae:5m', script);
  const { engine, store, metrics } = createTestEngine([group('g', [record])]);

  engine.evaluateGroupAt('g', at(3));

  const stored = store.queryPoints('stream:mae:5m', {}, { from: at(0), to: at(4) });
  const series = stored.map((samples) => ({ ...samples, labels: { ...samples.labels } }));
  assert.deepEqual(series, [
    {
      name: 'stream:mae:5m',
      labels: { feature: 'temp', team: 'ml' },
      timestamps: [at(3)],
      values: [42],
    },
  ]);
  assert.equal(await sampleOf(metrics, 'stream:mae:5m', { feature: 'temp', team: 'ml' }), 42);
  assert.ok(Number.isNaN(await sampleOf(metrics, 'stream:mae:5m', { feature: 'hum' })));
});

void test('sources of a group come from rule inputs', () => {
  const rules = [
    recordRule('a', () => [], { stream: 'bikes' }),
    alertRule('b', () => [], { series: 'tweets' }),
    alertRule('c', () => [], { series: 'tweets' }),
  ];

  assert.deepEqual(sourcesOf(group('g', rules)), ['stream:bikes', 'series:tweets']);
});

void test('unknown group is rejected with the known ones', () => {
  const { engine } = createTestEngine([group('g', [], MINUTE)]);

  assert.throws(
    () => engine.evaluateGroupAt('h', at(1)),
    /unknown rule group "h"; known groups: g/,
  );
});

void test('rule counters start at zero', async () => {
  const healthy = alertRule('Healthy', () => [output(1)]);
  const { metrics } = createTestEngine([group('g', [healthy])], { calls: [] });

  const labels = { group: 'g', rule: 'Healthy' };
  assert.equal(await sampleOf(metrics, 'vigil_rule_evaluation_failures_total', labels), 0);
  assert.equal(
    await sampleOf(metrics, 'vigil_rule_group_iterations_missed_total', { group: 'g' }),
    0,
  );
  assert.equal(await sampleOf(metrics, 'vigil_rule_group_evaluations_total', { group: 'g' }), 0);
});
