import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_TIMESTAMP_MS, parseTimestamp } from '../../../appliance/ingest/parse-timestamp.ts';

function ms(value: unknown): number | string {
  const result = parseTimestamp(value);
  return result.ok ? result.ms : result.reason;
}

void test('RFC 3339 with Z and with offset', () => {
  assert.equal(ms('2024-05-01T12:00:00Z'), Date.UTC(2024, 4, 1, 12));
  assert.equal(ms('2024-05-01T14:00:00+02:00'), Date.UTC(2024, 4, 1, 12));
  assert.equal(ms('2024-05-01 12:00:00.250Z'), Date.UTC(2024, 4, 1, 12, 0, 0, 250));
});

void test('epoch milliseconds pass through', () => {
  assert.equal(ms(0), 0);
  assert.equal(ms(1_700_000_000_123), 1_700_000_000_123);
  assert.equal(ms(MAX_TIMESTAMP_MS), MAX_TIMESTAMP_MS);
});

void test('year 10000 is out of range', () => {
  assert.match(String(ms('10000-01-01T00:00:00Z')), /1970 to 9999/);
  assert.match(String(ms(MAX_TIMESTAMP_MS + 1)), /1970 to 9999/);
});

void test('years before 1970 are out of range', () => {
  assert.match(String(ms('0070-01-01T00:00:00Z')), /1970 to 9999/);
  assert.match(String(ms('1969-12-31T23:59:59Z')), /1970 to 9999/);
  assert.match(String(ms(-1)), /1970 to 9999/);
});

void test('impossible dates are rejected', () => {
  assert.match(String(ms('2023-02-29T00:00:00Z')), /impossible/);
  assert.match(String(ms('2024-13-01T00:00:00Z')), /impossible/);
  assert.match(String(ms('2024-01-01T24:00:00Z')), /impossible/);
  assert.equal(ms('2024-02-29T00:00:00Z'), Date.UTC(2024, 1, 29));
});

void test('malformed and missing timestamps name the fix', () => {
  assert.match(String(ms('yesterday')), /RFC 3339/);
  assert.match(String(ms('2024-05-01')), /RFC 3339/);
  assert.match(String(ms(undefined)), /missing/);
  assert.match(String(ms(Number.NaN)), /finite/);
  assert.match(String(ms(true)), /string or a number/);
  assert.match(String(ms('2024-05-01T12:00:00+25:00')), /offset/);
});
