import { test } from 'node:test';
import assert from 'node:assert/strict';

import type { FeatureValue, PredictionEvent, TimeRange } from '../../../appliance/core/types.ts';
import type {
  EvaluationOutput,
  EvaluatorFactory,
} from '../../../appliance/evaluators/evaluator.ts';
import { missingRateEvaluator } from '../../../appliance/evaluators/data/missing-rate.ts';
import { schemaViolationsEvaluator } from '../../../appliance/evaluators/data/schema-violations.ts';

const WINDOW: TimeRange = { from: 1000, to: 2000 };

// Events in the window, one per row of `rows`; an undefined value leaves the feature out.
function events(rows: Record<string, unknown>[]): PredictionEvent[] {
  return rows.map((row, index) => {
    const features = Object.create(null) as Record<string, FeatureValue>;
    for (const [name, value] of Object.entries(row)) {
      if (value !== undefined) features[name] = value as FeatureValue;
    }
    return {
      stream: 's',
      version: '',
      id: String(index),
      timestamp: WINDOW.from + index,
      features,
      prediction: null,
      actual: null,
      latencyMs: null,
      error: false,
    };
  });
}

function run(
  factory: EvaluatorFactory,
  all: PredictionEvent[],
  params: Record<string, unknown> = {},
  features?: string[],
): EvaluationOutput[] {
  const instance = factory.create({ stream: 's', windowMs: 1000, params, features });
  return instance.evaluate({
    time: WINDOW.to,
    window: WINDOW,
    data: { events: () => all, points: () => [] },
  });
}

function byFeature(outputs: EvaluationOutput[], feature: string): EvaluationOutput {
  const output = outputs.find((item) => item.labels.feature === feature);
  assert.ok(output !== undefined, `no output for feature ${feature}`);
  return output;
}

void test('missing rate counts NaN and null', () => {
  const rows = [{ x: 1 }, { x: NaN }, { x: null }, { x: 'NaN' }, { x: Infinity }, { y: 2 }];
  const outputs = run(missingRateEvaluator, events(rows));
  const x = byFeature(outputs, 'x');
  assert.equal(x.values.missing, 4);
  assert.equal(x.values.value, 4 / 6);
  assert.equal(x.values.non_finite, 1);
  assert.equal(x.values.non_finite_ratio, 1 / 6);
  assert.equal(byFeature(outputs, 'y').values.value, 5 / 6);
});

void test('missing rate empty window NaN', () => {
  const outputs = run(missingRateEvaluator, [], {}, ['x', 'y']);
  assert.equal(outputs.length, 2);
  assert.ok(Number.isNaN(byFeature(outputs, 'x').values.value));
  assert.equal(byFeature(outputs, 'y').reason, 'no events in window');
});

void test('schema violations per feature', () => {
  const rows = [
    { temp: 0.5, season: 'spring' },
    { temp: 'hot', season: 'summer' },
    { temp: 1.5, season: 'monsoon' },
    { temp: Infinity, season: 'fall' },
    { temp: null, season: 'winter' },
  ];
  const params = {
    features: {
      temp: { type: 'number', min: 0, max: 1 },
      season: { type: 'string', allowed: ['spring', 'summer', 'fall', 'winter'] },
    },
  };
  const outputs = run(schemaViolationsEvaluator, events(rows), params);
  const temp = byFeature(outputs, 'temp');
  assert.equal(temp.values.violations, 3);
  assert.equal(temp.values.value, 3 / 5);
  assert.equal(byFeature(outputs, 'season').values.violations, 1);
  const all = byFeature(outputs, '*');
  assert.equal(all.values.violations, 3);
  assert.equal(all.values.value, 3 / 5);
});

void test('schema required makes missing violate', () => {
  const rows = [{ id: 'a' }, {}, { id: null }];
  const params = { features: { id: { type: 'string', required: true } } };
  const temp = byFeature(run(schemaViolationsEvaluator, events(rows), params), 'id');
  assert.equal(temp.values.violations, 2);
  assert.equal(temp.convention.missing_is_violation, true);
});

void test('schema violations empty window NaN', () => {
  const params = { features: { x: { type: 'number' } } };
  const output = byFeature(run(schemaViolationsEvaluator, [], params), 'x');
  assert.ok(Number.isNaN(output.values.value));
  assert.equal(output.reason, 'no events in window');
});

void test('schema violations reject missing params', () => {
  assert.throws(
    () => schemaViolationsEvaluator.create({ stream: 's', windowMs: 1, params: {} }),
    /params.features is missing/,
  );
});
