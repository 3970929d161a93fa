import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { chiSquareHomogeneity } from '../../../appliance/stats/chi-square.ts';
import { chiSquareSf } from '../../../appliance/stats/gamma.ts';
import { kolmogorovSf, kstwoSf } from '../../../appliance/stats/kolmogorov.ts';
import { ksTwoSample, type KsMethod } from '../../../appliance/stats/ks.ts';
import { psiCategorical, psiNumeric } from '../../../appliance/stats/psi.ts';

// Golden values from SciPy and NumPy, written by test/golden/drift.py.
const golden = JSON.parse(
  readFileSync(new URL('../../golden/drift.json', import.meta.url), 'utf8'),
) as Golden;

const STATISTIC_TOLERANCE = 1e-9;
const P_VALUE_TOLERANCE = 1e-6;

interface SequenceSpec {
  n: number;
  offset: number;
  power: number;
  scale: number;
  shift: number;
}

interface Golden {
  scipy_version: string;
  ks_2samp: {
    name: string;
    reference?: number[];
    current?: number[];
    reference_sequence?: SequenceSpec;
    current_sequence?: SequenceSpec;
    method: KsMethod;
    statistic: number;
    p_value: number;
  }[];
  kstwo_sf: { n: number; d: number; sf: number }[];
  kstwobign_sf: { z: number; sf: number }[];
  chi2_contingency: {
    name: string;
    reference: Record<string, number>;
    current: Record<string, number>;
    statistic: number;
    dof: number;
    p_value: number;
    unseen_rate: number;
  }[];
  chi2_sf: { x: number; dof: number; sf: number }[];
  psi: {
    name: string;
    kind: 'numeric' | 'categorical';
    reference: number[] | Record<string, number>;
    current: number[] | Record<string, number>;
    bins_requested?: number;
    epsilon?: number;
    bins: number;
    edges?: number[];
    statistic: number;
  }[];
}

// Rebuilds a sample the golden script describes instead of storing.
function sequence(spec: SequenceSpec): number[] {
  const values: number[] = [];
  for (let i = 0; i < spec.n; i += 1) {
    values.push(
      (((i + spec.offset) * 0.6180339887498949) % 1) ** spec.power * spec.scale + spec.shift,
    );
  }
  return values;
}

function assertClose(actual: number, expected: number, tolerance: number, what: string): void {
  const difference = Math.abs(actual - expected);
  assert.ok(difference <= tolerance, `${what}: got ${actual}, expected ${expected}`);
}

void test('golden file has enough cases per test', () => {
  assert.match(golden.scipy_version, /^\d+\.\d+/);
  assert.ok(golden.ks_2samp.length >= 10);
  assert.ok(golden.kstwo_sf.length >= 10);
  assert.ok(golden.chi2_contingency.length >= 10);
  assert.ok(golden.chi2_sf.length >= 10);
  assert.ok(golden.psi.length >= 10);
});

void test('ks two-sample matches scipy ks_2samp', () => {
  for (const item of golden.ks_2samp) {
    const reference = item.reference ?? sequence(item.reference_sequence as SequenceSpec);
    const current = item.current ?? sequence(item.current_sequence as SequenceSpec);
    const result = ksTwoSample(reference, current, item.method);
    assertClose(result.statistic, item.statistic, STATISTIC_TOLERANCE, `${item.name} statistic`);
    assertClose(result.pValue, item.p_value, P_VALUE_TOLERANCE, `${item.name} p-value`);
  }
});

void test('kstwo survival matches scipy kstwo.sf', () => {
  for (const item of golden.kstwo_sf) {
    assertClose(kstwoSf(item.d, item.n), item.sf, P_VALUE_TOLERANCE, `n=${item.n} d=${item.d}`);
  }
});

void test('kolmogorov limit matches scipy kstwobign.sf', () => {
  for (const item of golden.kstwobign_sf) {
    assertClose(kolmogorovSf(item.z), item.sf, 1e-12, `z=${item.z}`);
  }
});

void test('chi-square homogeneity matches chi2_contingency', () => {
  for (const item of golden.chi2_contingency) {
    const result = chiSquareHomogeneity(
      new Map(Object.entries(item.reference)),
      new Map(Object.entries(item.current)),
    );
    assertClose(result.statistic, item.statistic, STATISTIC_TOLERANCE, `${item.name} statistic`);
    assert.equal(result.dof, item.dof, `${item.name} dof`);
    assertClose(result.pValue, item.p_value, P_VALUE_TOLERANCE, `${item.name} p-value`);
    assertClose(result.unseenRate, item.unseen_rate, STATISTIC_TOLERANCE, `${item.name} unseen`);
  }
});

void test('chi-square survival matches scipy chi2.sf', () => {
  for (const item of golden.chi2_sf) {
    const sf = chiSquareSf(item.x, item.dof);
    assertClose(sf, item.sf, P_VALUE_TOLERANCE, `x=${item.x} dof=${item.dof}`);
    if (item.sf > 1e-300) {
      assertClose(sf / item.sf, 1, 1e-9, `relative x=${item.x} dof=${item.dof}`);
    }
  }
});

void test('psi matches numpy with stated rule', () => {
  for (const item of golden.psi) {
    const result =
      item.kind === 'numeric'
        ? psiNumeric(item.reference as number[], item.current as number[], item.bins_requested)
        : psiCategorical(
            new Map(Object.entries(item.reference)),
            new Map(Object.entries(item.current)),
            item.epsilon,
          );
    assertClose(result.statistic, item.statistic, STATISTIC_TOLERANCE, `${item.name} psi`);
    assert.equal(result.bins, item.bins, `${item.name} bins`);
  }
});
