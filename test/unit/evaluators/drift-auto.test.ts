import { test } from 'node:test';
import assert from 'node:assert/strict';

import type { FeatureValue, PredictionEvent } from '../../../appliance/core/types.ts';
import type { EvaluatorFactory } from '../../../appliance/evaluators/evaluator.ts';
import { autoDriftEvaluator } from '../../../appliance/evaluators/drift/auto.ts';
import { driftShareEvaluator } from '../../../appliance/evaluators/drift/share.ts';
import { flagDrift } from '../../../appliance/evaluators/drift/decision.ts';
import { benjaminiHochberg, bonferroni } from '../../../appliance/stats/multiple-testing.ts';
import { FakeReader, contextAt, event } from './fake-reader.ts';

const REFERENCE = { from: 0, to: 1000 };

// Reference rows at t = 0, current rows at t = 1500, from per-feature columns.
function rows(timestamp: number, columns: Record<string, FeatureValue[]>): PredictionEvent[] {
  const length = Math.max(...Object.values(columns).map((column) => column.length));
  return Array.from({ length }, (_, i) => {
    const features = Object.create(null) as Record<string, FeatureValue>;
    for (const [name, column] of Object.entries(columns)) features[name] = column[i] ?? null;
    return event({ timestamp, features });
  });
}

function run(
  factory: EvaluatorFactory,
  reference: Record<string, FeatureValue[]>,
  current: Record<string, FeatureValue[]>,
  params: Record<string, unknown> = {},
) {
  const reader = new FakeReader([...rows(0, reference), ...rows(1500, current)]);
  const instance = factory.create({
    stream: 'bikes',
    windowMs: 1000,
    reference: { range: REFERENCE },
    params,
  });
  return instance.evaluate(contextAt(reader, 2000, 1000));
}

const range = (n: number, shift = 0) => Array.from({ length: n }, (_, i) => i + shift);

void test('auto picks ks for small numeric', () => {
  const [output] = run(autoDriftEvaluator, { x: range(100) }, { x: range(100, 50) });
  assert.equal(output!.labels.test, 'ks');
  assert.equal(output!.values.statistic, 0.5);
  assert.equal(output!.values.drift, 1);
  assert.equal(output!.convention.drift_rule, 'p_value < threshold');
});

void test('auto picks wasserstein for large numeric', () => {
  const [output] = run(autoDriftEvaluator, { x: range(2000) }, { x: range(2000, 1) });
  assert.equal(output!.labels.test, 'wasserstein');
  assert.ok(output!.values.value < 0.01);
  assert.equal(output!.values.drift, 0);
  assert.equal(output!.convention.drift_rule, 'statistic >= threshold');
});

void test('auto picks ztest for two values', () => {
  const reference = { flag: [...Array(50).fill('yes'), ...Array(50).fill('no')] };
  const current = { flag: [...Array(90).fill('yes'), ...Array(10).fill('no')] };
  const [output] = run(autoDriftEvaluator, reference, current);
  assert.equal(output!.labels.test, 'ztest');
  assert.equal(output!.values.drift, 1);
});

void test('auto picks chi2 for categories', () => {
  const reference = { city: Array(50).fill('a') };
  const current = { city: Array(50).fill('a') };
  const [output] = run(autoDriftEvaluator, reference, current);
  assert.equal(output!.labels.test, 'chi2');
  assert.equal(output!.values.p_value, 1);
  assert.equal(output!.values.drift, 0);
});

void test('auto treats few numeric codes as categories', () => {
  const codes = range(300).map((i) => i % 3);
  const [output] = run(autoDriftEvaluator, { code: codes }, { code: codes });
  assert.equal(output!.labels.test, 'chi2');
  assert.match(String(output!.convention.choice_rule), /numeric, 3 distinct values/);
});

void test('auto picks js for large categories', () => {
  const reference = { colour: range(3000).map((i) => ['red', 'green', 'blue'][i % 3]!) };
  const current = { colour: Array(3000).fill('red') };
  const [output] = run(autoDriftEvaluator, reference, current);
  assert.equal(output!.labels.test, 'js');
  assert.ok(output!.values.value > 0.1);
  assert.equal(output!.values.drift, 1);
});

void test('large sample threshold is configurable', () => {
  const params = { large_sample: 50 };
  const [output] = run(autoDriftEvaluator, { x: range(100) }, { x: range(100) }, params);
  assert.equal(output!.labels.test, 'wasserstein');
});

void test('distance at threshold is drift', () => {
  const output = {
    labels: { feature: 'x' },
    values: { value: 0.2, statistic: 0.2 },
    convention: {},
  };
  const flagged = flagDrift('psi', output, { alpha: 0.05, thresholds: {} });
  assert.equal(flagged.values.drift, 1);
  assert.equal(flagged.values.threshold, 0.2);
});

void test('nan statistic gives nan flag', () => {
  const output = { labels: {}, values: { value: NaN, p_value: NaN }, convention: {} };
  const flagged = flagDrift('ks', output, { alpha: 0.05, thresholds: {} });
  assert.ok(Number.isNaN(flagged.values.drift));
});

void test('bonferroni multiplies by test count', () => {
  const adjusted = bonferroni([0.01, NaN, 0.3, 0.5]);
  assert.ok(Math.abs(adjusted[0]! - 0.03) < 1e-15);
  assert.ok(Number.isNaN(adjusted[1]));
  assert.ok(Math.abs(adjusted[2]! - 0.9) < 1e-15);
  assert.equal(adjusted[3], 1);
});

void test('benjamini hochberg matches scipy', () => {
  // scipy.stats.false_discovery_control([0.01, 0.04, 0.03, 0.005, 0.2, 0.5], method='bh')
  const expected = [0.03, 0.06, 0.06, 0.03, 0.24, 0.5];
  const adjusted = benjaminiHochberg([0.01, 0.04, 0.03, 0.005, 0.2, 0.5]);
  expected.forEach((value, i) => assert.ok(Math.abs(adjusted[i]! - value) < 1e-12));
});

void test('benjamini hochberg keeps nan', () => {
  const adjusted = benjaminiHochberg([NaN, 0.02, 0.04]);
  assert.ok(Number.isNaN(adjusted[0]));
  assert.equal(adjusted[1], 0.04);
  assert.equal(adjusted[2], 0.04);
});

// Ten numeric features; a, b and c shift, the rest do not.
function tenFeatures(): [Record<string, number[]>, Record<string, number[]>] {
  const reference: Record<string, number[]> = {};
  const current: Record<string, number[]> = {};
  for (const name of 'abcdefghij') {
    reference[name] = range(60);
    current[name] = 'abc'.includes(name) ? range(60, 25) : range(60);
  }
  return [reference, current];
}

void test('share counts drifting features', () => {
  const [reference, current] = tenFeatures();
  const [output] = run(driftShareEvaluator, reference, current, { share: 0.3 });
  assert.equal(output!.values.drifting_features, 3);
  assert.equal(output!.values.evaluated_features, 10);
  assert.equal(output!.values.value, 0.3);
  assert.equal(output!.values.drift, 1);
});

void test('share below threshold is no drift', () => {
  const [reference, current] = tenFeatures();
  const [output] = run(driftShareEvaluator, reference, current);
  assert.equal(output!.values.value, 0.3);
  assert.equal(output!.values.drift, 0);
});

void test('correction adds adjusted p-values', () => {
  const [reference, current] = tenFeatures();
  const plain = run(autoDriftEvaluator, reference, current);
  const corrected = run(autoDriftEvaluator, reference, current, { correction: 'bonferroni' });
  const a = corrected.find((output) => output.labels.feature === 'a')!;
  const plainA = plain.find((output) => output.labels.feature === 'a')!;
  assert.ok(Math.abs(a.values.p_value_adjusted! - plainA.values.p_value! * 10) < 1e-12);
  assert.equal(a.convention.correction, 'bonferroni');
});

void test('share leaves out empty features', () => {
  const reference = { x: range(50), gone: Array<number>(50).fill(NaN) };
  const current = { x: range(50), gone: Array<number>(50).fill(NaN) };
  const [output] = run(driftShareEvaluator, reference, current);
  assert.equal(output!.values.evaluated_features, 1);
  assert.equal(output!.values.not_evaluated, 1);
  assert.equal(output!.values.value, 0);
});

void test('share test must be known', () => {
  assert.throws(
    () => run(driftShareEvaluator, {}, {}, { test: 'kl' }),
    /drift.share: params.test is invalid \(got "kl"\)/,
  );
});
