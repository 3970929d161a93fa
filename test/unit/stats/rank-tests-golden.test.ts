import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { andersonDarlingKSample } from '../../../appliance/stats/anderson-darling.ts';
import { cramerVonMises, type CvmMethod } from '../../../appliance/stats/cramer-von-mises.ts';

// Golden values from SciPy, written by test/golden/drift.py.
const golden = JSON.parse(
  readFileSync(new URL('../../golden/drift.json', import.meta.url), 'utf8'),
) as {
  cramervonmises_2samp: {
    name: string;
    reference: number[];
    current: number[];
    method: CvmMethod;
    statistic: number;
    p_value: number;
  }[];
  anderson_ksamp: { name: string; samples: number[][]; statistic: number; p_value: number }[];
};

function assertClose(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${what}: got ${actual}, expected ${expected}`,
  );
}

void test('cramer-von mises matches scipy', () => {
  assert.ok(golden.cramervonmises_2samp.length >= 10);
  for (const item of golden.cramervonmises_2samp) {
    const result = cramerVonMises(item.reference, item.current, item.method);
    const what = `${item.name} ${item.method}`;
    assertClose(result.statistic, item.statistic, 1e-9, `${what} statistic`);
    assertClose(result.pValue, item.p_value, 1e-6, `${what} p-value`);
  }
});

void test('cramer-von mises auto switches above 20', () => {
  const small = Array.from({ length: 20 }, (_, i) => i);
  const large = Array.from({ length: 21 }, (_, i) => i);
  assert.equal(cramerVonMises(small, small).method, 'exact');
  assert.equal(cramerVonMises(large, small).method, 'asymptotic');
  assert.ok(Number.isNaN(cramerVonMises([1], [1, 2]).statistic));
});

void test('anderson-darling matches scipy', () => {
  assert.ok(golden.anderson_ksamp.length >= 10);
  for (const item of golden.anderson_ksamp) {
    const result = andersonDarlingKSample(item.samples);
    assertClose(result.statistic, item.statistic, 1e-9, `${item.name} statistic`);
    assertClose(result.pValue, item.p_value, 1e-6, `${item.name} p-value`);
  }
});

void test('anderson-darling caps and degenerate input', () => {
  const low = Array.from({ length: 20 }, (_, i) => i);
  const capped = andersonDarlingKSample([low, low.map((value) => value + 100)]);
  assert.equal(capped.pValue, 0.001);
  assert.equal(capped.capped, true);
  assert.ok(
    Number.isNaN(
      andersonDarlingKSample([
        [1, 1],
        [1, 1],
      ]).statistic,
    ),
  );
  assert.ok(Number.isNaN(andersonDarlingKSample([[1, 2, 3], []]).statistic));
});
