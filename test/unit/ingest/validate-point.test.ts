import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveLimits } from '../../../appliance/ingest/limits.ts';
import type { Rejection } from '../../../appliance/ingest/rejection.ts';
import { validateActual } from '../../../appliance/ingest/validate-actual.ts';
import { validatePoint } from '../../../appliance/ingest/validate-point.ts';

const limits = resolveLimits({ maxLabels: 2 });

void test('valid point keeps its labels', () => {
  const rejections: Rejection[] = [];
  const point = validatePoint(
    {
      name: 'tweets:count',
      labels: { ticker: 'AAPL' },
      value: 3,
      timestamp: '2015-02-26T21:42:53Z',
    },
    0,
    limits,
    rejections,
  );

  assert.deepEqual(rejections, []);
  assert.equal(point!.name, 'tweets:count');
  assert.equal(point!.labels['ticker'], 'AAPL');
  assert.equal(point!.timestamp, Date.UTC(2015, 1, 26, 21, 42, 53));
});

void test('point problems name each field', () => {
  const rejections: Rejection[] = [];
  const point = validatePoint(
    { name: '1bad', labels: { __name__: 'x', ok: 5 }, value: 'high', timestamp: null },
    2,
    limits,
    rejections,
  );

  assert.equal(point, null);
  assert.deepEqual(
    rejections.map((r) => `${r.field}:${r.code}`),
    [
      'name:invalid_name',
      'labels:invalid_label',
      'labels.ok:invalid_label',
      'value:invalid_value',
      'timestamp:missing_field',
    ],
  );
});

void test('too many labels are rejected', () => {
  const rejections: Rejection[] = [];
  validatePoint(
    { name: 'm', labels: { a: '1', b: '2', c: '3' }, value: 1, timestamp: 0 },
    0,
    limits,
    rejections,
  );

  assert.match(rejections[0]!.reason, /3 labels exceed the limit of 2/);
});

void test('valid actual accepts aliases', () => {
  const rejections: Rejection[] = [];
  const update = validateActual({ model: 'm', event_id: 12, actual: 0.5 }, 0, limits, rejections);

  assert.deepEqual(rejections, []);
  assert.deepEqual(update, { stream: 'm', id: '12', actual: 0.5 });
});

void test('actual without a value is rejected', () => {
  const rejections: Rejection[] = [];
  const update = validateActual({ stream: 'm', id: 'a' }, 1, limits, rejections);

  assert.equal(update, null);
  assert.equal(rejections[0]!.field, 'actual');
  assert.equal(rejections[0]!.code, 'missing_field');
});
