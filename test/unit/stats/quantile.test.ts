import { test } from 'node:test';
import assert from 'node:assert/strict';
import { quantiles, sortedQuantile } from '../../../appliance/stats/quantile.ts';
import { assertClose, golden } from './golden.ts';

void test('quantiles match numpy linear percentiles', () => {
  assert.ok(golden.quantile.length >= 10);
  for (const expected of golden.quantile) {
    const got = quantiles(expected.values, expected.qs);
    expected.expected.forEach((want: number, i: number) => {
      assertClose(got[i]!, want, `n=${expected.values.length} q=${expected.qs[i]}`);
    });
  }
});

void test('quantile of empty input is NaN', () => {
  assert.ok(Number.isNaN(sortedQuantile([], 0.5)));
});

void test('quantile outside 0..1 is NaN', () => {
  assert.ok(Number.isNaN(sortedQuantile([1, 2], 1.5)));
  assert.ok(Number.isNaN(sortedQuantile([1, 2], -0.1)));
  assert.ok(Number.isNaN(sortedQuantile([1, 2], NaN)));
});

void test('quantiles leave the input order alone', () => {
  const values = [3, 1, 2];
  quantiles(values, [0.5]);
  assert.deepEqual(values, [3, 1, 2]);
});
