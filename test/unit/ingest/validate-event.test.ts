import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveLimits } from '../../../appliance/ingest/limits.ts';
import type { Rejection } from '../../../appliance/ingest/rejection.ts';
import { validateEvent } from '../../../appliance/ingest/validate-event.ts';

const limits = resolveLimits({ maxFeatures: 3, maxStringLength: 8 });

function check(raw: unknown) {
  const rejections: Rejection[] = [];
  const event = validateEvent(raw, 4, limits, rejections);
  return { event, rejections };
}

const base = { stream: 'm', id: 'a', timestamp: 1000, prediction: 1, features: { x: 1 } };

void test('valid event is normalised', () => {
  const { event, rejections } = check({
    model: 'bikes',
    model_version: 2,
    event_id: 7,
    timestamp: '1970-01-01T00:00:01Z',
    features: { x: 1.5, s: 'a', b: true },
    prediction: 'yes',
    actual: 'no',
    latency_ms: 0,
    error: true,
  });

  assert.deepEqual(rejections, []);
  assert.equal(event!.stream, 'bikes');
  assert.equal(event!.version, '2');
  assert.equal(event!.id, '7');
  assert.equal(event!.timestamp, 1000);
  assert.equal(event!.prediction, 'yes');
  assert.equal(event!.actual, 'no');
  assert.equal(event!.latencyMs, 0);
  assert.equal(event!.error, true);
  assert.equal(Object.getPrototypeOf(event!.features), null);
  assert.deepEqual({ ...event!.features }, { x: 1.5, s: 'a', b: true });
});

void test('optional fields default', () => {
  const { event } = check({ stream: 'm', id: 'a', timestamp: 0, prediction: null });

  assert.equal(event!.version, '');
  assert.equal(event!.actual, null);
  assert.equal(event!.latencyMs, null);
  assert.equal(event!.error, false);
  assert.deepEqual(Object.keys(event!.features), []);
});

void test('every problem of a row is listed', () => {
  const { event, rejections } = check({ stream: '9x', timestamp: 'soon', latency_ms: -1 });

  assert.equal(event, null);
  const fields = rejections.map((r) => `${r.field}:${r.code}`);
  assert.deepEqual(fields, [
    'stream:invalid_stream',
    'id:missing_field',
    'timestamp:invalid_timestamp',
    'prediction:missing_field',
    'latency_ms:invalid_latency',
  ]);
  assert.ok(rejections.every((r) => r.index === 4));
});

void test('feature names must match the name rule', () => {
  const { rejections } = check({ ...base, features: { 'bad name': 1 } });

  assert.equal(rejections.length, 1);
  assert.equal(rejections[0]!.field, 'features');
  assert.equal(rejections[0]!.value, '"bad name"');
  assert.match(rejections[0]!.reason, /start with a letter or "_"/);
});

void test('nested feature values are rejected with the fix', () => {
  const { rejections } = check({ ...base, features: { a: { b: 1 }, c: [1] } });

  assert.deepEqual(
    rejections.map((r) => r.field),
    ['features.a', 'features.c'],
  );
  assert.match(rejections[0]!.reason, /dotted names/);
});

void test('feature count and string length are limited', () => {
  const many = check({ ...base, features: { a: 1, b: 2, c: 3, d: 4 } });
  assert.match(many.rejections[0]!.reason, /4 features exceed the limit of 3/);

  const long = check({ ...base, features: { a: 'abcdefghi' } });
  assert.match(long.rejections[0]!.reason, /exceeds the limit of 8/);
});

void test('__proto__ and constructor are ordinary features', () => {
  const raw = JSON.parse(
    '{"stream":"m","id":"a","timestamp":0,"prediction":1,"features":{"__proto__":1,"constructor":2}}',
  );
  const { event } = check(raw);

  assert.equal(Object.hasOwn(event!.features, '__proto__'), true);
  assert.equal(event!.features['__proto__'], 1);
  assert.equal(event!.features['constructor'], 2);
  assert.equal(Object.getPrototypeOf(event!.features), null);
});

void test('fields are read from own properties only', () => {
  const raw = Object.create({ stream: 'inherited', id: 'x' }) as Record<string, unknown>;
  raw.timestamp = 0;
  raw.prediction = 1;
  const { rejections } = check(raw);

  assert.deepEqual(
    rejections.map((r) => r.field),
    ['stream', 'id'],
  );
});

void test('conflicting stream and model are rejected', () => {
  const { rejections } = check({ ...base, model: 'other' });

  assert.equal(rejections[0]!.field, 'model');
  assert.match(rejections[0]!.reason, /send only one/);
});

void test('non-object row is rejected as a whole', () => {
  const { rejections } = check([1, 2]);

  assert.equal(rejections[0]!.code, 'invalid_row');
  assert.equal(rejections[0]!.field, '');
});

void test('long values are truncated in the rejection', () => {
  const { rejections } = check({ ...base, id: 'x'.repeat(300) });

  assert.ok(rejections[0]!.value.length <= 64);
  assert.ok(rejections[0]!.value.endsWith('…'));
});
