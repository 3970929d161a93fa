import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  formatSeries,
  parseSeries,
  parseValues,
} from '../../../../appliance/rules/testing/notation.ts';

void test('expanding notation adds n steps', () => {
  assert.deepEqual(parseValues('-2+4x3'), { ok: true, values: [-2, 2, 6, 10] });
  assert.deepEqual(parseValues('1-2x4'), { ok: true, values: [1, -1, -3, -5, -7] });
  assert.deepEqual(parseValues('5x2'), { ok: true, values: [5, 5, 5] });
});

void test('missing and stale items', () => {
  assert.deepEqual(parseValues('1 _ _x2 stale 2'), {
    ok: true,
    values: [1, 'missing', 'missing', 'missing', 'stale', 2],
  });
});

void test('special numbers parse', () => {
  const result = parseValues('Inf -Inf NaN 1e3 .5');
  assert.equal(result.ok, true);
  const values = result.ok ? result.values : [];
  assert.equal(values[0], Infinity);
  assert.equal(values[1], -Infinity);
  assert.ok(Number.isNaN(values[2]));
  assert.equal(values[3], 1000);
  assert.equal(values[4], 0.5);
});

void test('bad item reports its column', () => {
  const result = parseValues('1 2 3y4');
  assert.equal(result.ok, false);
  assert.equal(result.ok ? 0 : result.column, 5);
  assert.match(result.ok ? '' : result.message, /^invalid item "3y4"/);
});

void test('huge expansion is rejected', () => {
  const result = parseValues('1x99999999');
  assert.equal(result.ok, false);
});

void test('series with labels parses', () => {
  assert.deepEqual(parseSeries('up{job="api", instance="a\\"b"}'), {
    ok: true,
    series: { name: 'up', labels: { job: 'api', instance: 'a"b' } },
  });
  assert.deepEqual(parseSeries('up'), { ok: true, series: { name: 'up', labels: {} } });
});

void test('series without quotes fails', () => {
  const result = parseSeries('up{job=api}');
  assert.equal(result.ok, false);
  assert.equal(result.ok ? 0 : result.column, 4);
});

void test('formatted series sorts labels', () => {
  assert.equal(formatSeries('A', { b: '2', a: '1' }), 'A{a="1", b="2"}');
  assert.equal(formatSeries('A', {}), 'A');
});
