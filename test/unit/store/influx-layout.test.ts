import { test } from 'node:test';
import assert from 'node:assert/strict';
import { declaredKind, resultToInflux } from '../../../appliance/store/influx/influx-layout.ts';
import { sanitizePoint } from '../../../appliance/store/influx/sanitize-point.ts';
import type { StoredResult } from '../../../appliance/store/store.ts';

const skipped: StoredResult = {
  timestamp: 1_293_926_400_000,
  rule: 'BikeFeatureDriftKs',
  group: 'bike-data',
  evaluator: 'drift.ks',
  labels: { feature: 'temp' },
  values: { value: Number.NaN, p_value: Number.NaN, n_current: 24 },
  convention: { test: 'ks_2samp' },
  reason: 'the reference range ends after the evaluation time',
};

test('result from the outbox keeps its reason', () => {
  // The outbox stores JSON, so NaN values come back as null.
  const fromOutbox = JSON.parse(JSON.stringify(skipped)) as StoredResult;

  const outcome = sanitizePoint(resultToInflux(fromOutbox));

  assert.equal(outcome.ok, true);
  if (!outcome.ok) return;
  assert.equal(outcome.point.fields.n_current, 24);
  assert.equal(outcome.point.fields._reason, skipped.reason);
  assert.equal('value' in outcome.point.fields, false);
  assert.equal('p_value' in outcome.point.fields, false);
  assert.deepEqual(outcome.fixes, ['field_not_finite_dropped', 'field_not_finite_dropped']);
});

test('result values stay floats', () => {
  const point = resultToInflux({ ...skipped, values: { value: 0.25, n_current: 24 } });

  assert.deepEqual(point.fields, {
    value: 0.25,
    n_current: 24,
    _convention: '{"test":"ks_2samp"}',
    _reason: skipped.reason,
  });
  assert.deepEqual(point.tags, {
    feature: 'temp',
    rule: 'BikeFeatureDriftKs',
    group: 'bike-data',
    evaluator: 'drift.ks',
  });
});

test('prototype names are float fields', () => {
  assert.equal(declaredKind('__proto__'), 'float');
  assert.equal(declaredKind('constructor'), 'float');
  assert.equal(declaredKind('toString'), 'float');
  assert.equal(declaredKind('_reason'), 'string');
});
