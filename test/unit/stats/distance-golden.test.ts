import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { hellingerDistance } from '../../../appliance/stats/hellinger.ts';
import { pairedHistogram } from '../../../appliance/stats/histogram.ts';
import { jensenShannonDistance } from '../../../appliance/stats/jensen-shannon.ts';
import { twoProportionZ } from '../../../appliance/stats/two-proportion-z.ts';
import { wasserstein } from '../../../appliance/stats/wasserstein.ts';

// Golden values from SciPy and NumPy, written by test/golden/drift.py.
const golden = JSON.parse(
  readFileSync(new URL('../../golden/drift.json', import.meta.url), 'utf8'),
) as Golden;

interface BinnedCase {
  name: string;
  kind: 'numeric' | 'categorical';
  reference: number[] | Record<string, number>;
  current: number[] | Record<string, number>;
  bins?: number;
  base?: number;
  statistic: number;
}

interface Golden {
  jensenshannon: BinnedCase[];
  hellinger: BinnedCase[];
  wasserstein: {
    name: string;
    reference: number[];
    current: number[];
    statistic: number;
    reference_std: number;
    normalized: number;
  }[];
  two_proportion_z: {
    reference_hits: number;
    reference_total: number;
    current_hits: number;
    current_total: number;
    z: number;
    p_value: number;
  }[];
}

// Counts over the histogram of both samples, or over the union of categories.
function counts(item: BinnedCase): [number[], number[]] {
  if (item.kind === 'numeric') {
    const histogram = pairedHistogram(
      item.reference as number[],
      item.current as number[],
      item.bins as number,
    );
    return [histogram.reference, histogram.current];
  }
  const reference = item.reference as Record<string, number>;
  const current = item.current as Record<string, number>;
  const categories = [...new Set([...Object.keys(reference), ...Object.keys(current)])];
  return [
    categories.map((category) => reference[category] ?? 0),
    categories.map((category) => current[category] ?? 0),
  ];
}

function assertClose(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${what}: got ${actual}, expected ${expected}`,
  );
}

void test('golden distances have ten cases each', () => {
  assert.ok(golden.jensenshannon.length >= 10);
  assert.ok(golden.hellinger.length >= 10);
  assert.ok(golden.wasserstein.length >= 10);
  assert.ok(golden.two_proportion_z.length >= 10);
});

void test('jensen-shannon matches scipy', () => {
  for (const item of golden.jensenshannon) {
    const [reference, current] = counts(item);
    const distance = jensenShannonDistance(reference, current, item.base);
    assertClose(distance, item.statistic, 1e-9, `${item.name} base ${item.base}`);
  }
});

void test('hellinger matches numpy', () => {
  for (const item of golden.hellinger) {
    const [reference, current] = counts(item);
    assertClose(hellingerDistance(reference, current), item.statistic, 1e-9, item.name);
  }
});

void test('wasserstein matches scipy', () => {
  for (const item of golden.wasserstein) {
    const result = wasserstein(item.reference, item.current);
    assertClose(result.distance, item.statistic, 1e-9, `${item.name} distance`);
    assertClose(result.referenceStd, item.reference_std, 1e-9, `${item.name} std`);
    assertClose(result.normalized, item.normalized, 1e-9, `${item.name} normalized`);
  }
});

void test('two-proportion z matches scipy norm', () => {
  for (const item of golden.two_proportion_z) {
    const result = twoProportionZ(
      item.reference_hits,
      item.reference_total,
      item.current_hits,
      item.current_total,
    );
    const what = `${item.reference_hits}/${item.reference_total} vs ${item.current_hits}/${item.current_total}`;
    assertClose(result.z, item.z, 1e-9, `${what} z`);
    assertClose(result.pValue, item.p_value, 1e-6, `${what} p`);
  }
});

void test('distance edge cases', () => {
  assert.equal(jensenShannonDistance([10, 0], [0, 10]), 1);
  const apart = pairedHistogram([0], [5], 10);
  assert.equal(hellingerDistance(apart.reference, apart.current), 1);
  const same = pairedHistogram([5], [5], 10);
  assert.equal(hellingerDistance(same.reference, same.current), 0);
  const zeros = pairedHistogram([0], [0], 10);
  assert.equal(hellingerDistance(zeros.reference, zeros.current), 0);
  const ties = [0.1, 0.2, 0.3].flatMap((value) => Array<number>(10).fill(value));
  const shifted = wasserstein(
    ties,
    ties.map((value) => value + 1e-9),
  );
  assert.ok(shifted.normalized < 1e-7);
  assert.equal(wasserstein([2, 2], [2, 3]).normalized, 0.5 / 1e-3);
});
