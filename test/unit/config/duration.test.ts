import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDuration, parseDuration } from '../../../appliance/config/duration.ts';

test('parseDuration reads every unit', () => {
  assert.equal(parseDuration('1d2h30m15s500ms'), 86_400_000 + 7_200_000 + 1_800_000 + 15_500);
  assert.equal(parseDuration('1y'), 365 * 86_400_000);
  assert.equal(parseDuration('2w'), 14 * 86_400_000);
  assert.equal(parseDuration('500ms'), 500);
  assert.equal(parseDuration('5m'), 300_000);
  assert.equal(parseDuration('0'), 0);
});

test('parseDuration rejects other text', () => {
  for (const text of ['', '5 minutes', '5', '1m1h', '1.5h', '-5m', '1h1h', 'ms']) {
    assert.equal(parseDuration(text), undefined, text);
  }
});

test('formatDuration inverts parseDuration', () => {
  assert.equal(formatDuration(93_784_005), '1d2h3m4s5ms');
  assert.equal(formatDuration(0), '0s');
  assert.equal(parseDuration(formatDuration(3 * 7 * 86_400_000)), 3 * 7 * 86_400_000);
});
