import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  escapeMeasurement,
  sanitizePoint,
} from '../../../appliance/store/influx/sanitize-point.ts';

const base = { measurement: 'cpu', tags: { host: 'a' }, fields: { value: 1 }, timestamp: 1000 };

test('clean point passes unchanged', () => {
  const outcome = sanitizePoint(base);

  assert.ok(outcome.ok);
  assert.deepEqual(outcome.point, base);
  assert.deepEqual(outcome.fixes, []);
});

test('newline in a tag is stripped', () => {
  const outcome = sanitizePoint({ ...base, tags: { host: 'a\nb' } });

  assert.ok(outcome.ok);
  assert.equal(outcome.point.tags.host, 'ab');
  assert.deepEqual(outcome.fixes, ['tag_newline_stripped']);
});

test('empty tag is dropped', () => {
  const outcome = sanitizePoint({ ...base, tags: { host: '', zone: 'z' } });

  assert.ok(outcome.ok);
  assert.deepEqual(outcome.point.tags, { zone: 'z' });
  assert.deepEqual(outcome.fixes, ['tag_empty_dropped']);
});

test('trailing backslash in a tag is rejected', () => {
  const outcome = sanitizePoint({ ...base, tags: { host: 'a\\' } });

  assert.equal(outcome.ok, false);
  assert.equal(!outcome.ok && outcome.rejection.reason, 'tag_trailing_backslash');
});

test('measurement with comma and space is escaped', () => {
  const outcome = sanitizePoint({ ...base, measurement: 'my meas,x' });

  assert.ok(outcome.ok);
  assert.equal(outcome.point.measurement, 'my\\ meas\\,x');
  assert.equal(escapeMeasurement('plain'), 'plain');
});

test('only NaN fields reject the point', () => {
  const outcome = sanitizePoint({ ...base, fields: { value: Number.NaN } });

  assert.equal(outcome.ok, false);
  assert.equal(!outcome.ok && outcome.rejection.reason, 'field_not_finite');
  assert.deepEqual(outcome.fixes, ['field_not_finite_dropped']);
});

test('no fields reject the point', () => {
  const outcome = sanitizePoint({ ...base, fields: {} });

  assert.equal(!outcome.ok && outcome.rejection.reason, 'no_fields');
});

test('field named time is rejected', () => {
  const outcome = sanitizePoint({ ...base, fields: { time: 1 } });

  assert.equal(!outcome.ok && outcome.rejection.reason, 'field_name_invalid');
});

test('non-finite timestamp is rejected', () => {
  const outcome = sanitizePoint({ ...base, timestamp: Number.POSITIVE_INFINITY });

  assert.equal(!outcome.ok && outcome.rejection.reason, 'timestamp_invalid');
});
