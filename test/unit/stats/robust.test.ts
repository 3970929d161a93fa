import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  erfc,
  median,
  normalSurvival,
  normalTwoSidedTail,
  sortedMad,
  sortedMeanAbsoluteDeviation,
} from '../../../appliance/stats/robust.ts';
import { assertClose, golden } from './golden.ts';

void test('median and mad match numpy and scipy', () => {
  assert.ok(golden.robust.length >= 10);
  for (const expected of golden.robust) {
    const sorted = Float64Array.from(expected.values).sort();
    const n = expected.values.length;
    assertClose(median(expected.values), expected.median, `median n=${n}`);
    assertClose(sortedMad(sorted), expected.mad, `mad n=${n}`);
    assertClose(sortedMeanAbsoluteDeviation(sorted), expected.mean_ad, `mean_ad n=${n}`);
  }
});

void test('mad uses only the first count values', () => {
  const buffer = new Float64Array([1, 2, 3, 99, 99]);
  assert.equal(sortedMad(buffer, 3), 1);
  assert.ok(Number.isNaN(sortedMad(buffer, 0)));
});

void test('normal tails match scipy to 1e-12 relative', () => {
  assert.ok(golden.normal.length >= 10);
  for (const expected of golden.normal) {
    const tolerance = 1e-12 * expected.two_sided;
    const twoSided = normalTwoSidedTail(expected.z);
    const sf = normalSurvival(expected.z);
    assert.ok(Math.abs(twoSided - expected.two_sided) <= tolerance, `two-sided z=${expected.z}`);
    assert.ok(Math.abs(sf - expected.sf) <= 1e-12 * expected.sf, `sf z=${expected.z}`);
  }
});

void test('erfc is symmetric about 1', () => {
  assertClose(erfc(-0.7) + erfc(0.7), 2, 'erfc(-x) + erfc(x)', 1e-15);
  assert.ok(Number.isNaN(erfc(NaN)));
});
