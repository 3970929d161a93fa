import { test } from 'node:test';
import assert from 'node:assert/strict';

import { chiSquareHomogeneity } from '../../../appliance/stats/chi-square.ts';
import { ksTwoSample } from '../../../appliance/stats/ks.ts';
import { psiCategorical, psiNumeric, quantileEdges } from '../../../appliance/stats/psi.ts';
import { countCategories, splitColumn } from '../../../appliance/stats/samples.ts';

function counts(entries: Record<string, number>): Map<string, number> {
  return new Map(Object.entries(entries));
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

void test('ks disjoint samples exact p', () => {
  const result = ksTwoSample(range(1, 5), range(6, 10));
  assert.equal(result.statistic, 1);
  assert.equal(result.method, 'exact');
  assert.ok(Math.abs(result.pValue - 2 / 252) < 1e-12);
});

void test('ks ties stepped together', () => {
  const result = ksTwoSample([1, 1, 1, 2, 2], [1, 2, 2, 2, 2]);
  assert.ok(Math.abs(result.statistic - 0.4) < 1e-12);
  assert.ok(Math.abs(result.pValue - 0.873015873015873) < 1e-9);
});

void test('ks identical samples give zero', () => {
  const result = ksTwoSample(range(1, 1000), range(1, 1000));
  assert.equal(result.statistic, 0);
  assert.equal(result.pValue, 1);
});

void test('ks auto switches above 10000', () => {
  assert.equal(ksTwoSample(range(1, 10000), range(1, 10)).method, 'exact');
  assert.equal(ksTwoSample(range(1, 10001), range(1, 10)).method, 'asymp');
  assert.equal(ksTwoSample([1, 2], [3], 'asymp').method, 'asymp');
});

void test('ks empty sample gives NaN', () => {
  const result = ksTwoSample([], [1, 2]);
  assert.ok(Number.isNaN(result.statistic));
  assert.ok(Number.isNaN(result.pValue));
  assert.equal(result.nCurrent, 2);
});

void test('chi-square same category p is 1', () => {
  const result = chiSquareHomogeneity(counts({ a: 50 }), counts({ a: 50 }));
  assert.equal(result.statistic, 0);
  assert.equal(result.dof, 0);
  assert.equal(result.pValue, 1);
  assert.equal(result.unseenRate, 0);
});

void test('chi-square unseen category finite', () => {
  const result = chiSquareHomogeneity(counts({ a: 10, b: 10 }), counts({ a: 5, b: 5, c: 10 }));
  assert.ok(Math.abs(result.statistic - 40 / 3) < 1e-12);
  assert.equal(result.dof, 2);
  assert.ok(Math.abs(result.pValue - 0.0012726338013398079) < 1e-9);
  assert.equal(result.unseenRate, 0.5);
});

void test('chi-square 2 x 13 table', () => {
  const reference = countCategories(range(0, 11).flatMap((code) => Array(10).fill(String(code))));
  const current = countCategories(range(0, 12).flatMap((code) => Array(10).fill(String(code))));
  const result = chiSquareHomogeneity(reference, current);
  assert.equal(result.categories, 13);
  assert.equal(result.dof, 12);
  assert.ok(Number.isFinite(result.statistic));
  assert.ok(Math.abs(result.unseenRate - 1 / 13) < 1e-12);
});

void test('chi-square empty side gives NaN', () => {
  const result = chiSquareHomogeneity(counts({}), counts({ a: 3 }));
  assert.ok(Number.isNaN(result.statistic));
  assert.ok(Number.isNaN(result.pValue));
  assert.equal(result.nCurrent, 3);
});

void test('psi empty category finite with floor', () => {
  const result = psiCategorical(counts({ a: 50, b: 50, c: 0 }), counts({ a: 25, b: 25, c: 50 }));
  const expected = 2 * (0.25 - 0.5) * Math.log(0.5) + (0.5 - 1e-4) * Math.log(0.5 / 1e-4);
  assert.ok(Number.isFinite(result.statistic));
  assert.ok(Math.abs(result.statistic - expected) < 1e-12);
  assert.equal(result.emptyShare, 1e-4);
  assert.equal(result.bins, 3);
});

void test('psi floor never exceeds smallest share', () => {
  const result = psiCategorical(counts({ a: 999, b: 1 }), counts({ a: 500, c: 500 }), 0.1);
  assert.equal(result.emptyShare, 0.0005);
});

void test('psi merges tied edges', () => {
  const reference = [0.1, 0.2, 0.3].flatMap((value) => Array<number>(10).fill(value));
  assert.deepEqual(quantileEdges(reference, 10), [0.1, 0.2, 0.3]);
  const shifted = reference.map((value) => value + 1e-9);
  const result = psiNumeric(reference, shifted, 10);
  assert.equal(result.bins, 4);
  assert.ok(Math.abs(result.statistic) < 1e-12);
});

void test('psi honours bin count', () => {
  const reference = range(1, 1000);
  assert.equal(psiNumeric(reference, reference, 7).bins, 7);
  assert.equal(psiNumeric(reference, reference, 25).bins, 25);
  assert.equal(psiNumeric(reference, reference, 25).statistic, 0);
});

void test('samples split missing and non-finite', () => {
  const sample = splitColumn([
    1,
    NaN,
    2,
    3,
    null,
    'NaN',
    Infinity,
    -Infinity,
    'Infinity',
    undefined,
  ]);
  assert.deepEqual(sample.numbers, [1, 2, 3]);
  assert.equal(sample.missing, 4);
  assert.equal(sample.nonFinite, 3);
  assert.deepEqual(sample.categories, []);
});

void test('samples keep strings and booleans', () => {
  const sample = splitColumn(['a', true, false, '', 'nan', 4]);
  assert.deepEqual(sample.categories, ['a', 'true', 'false']);
  assert.deepEqual(sample.numbers, [4]);
  assert.equal(sample.missing, 2);
});
