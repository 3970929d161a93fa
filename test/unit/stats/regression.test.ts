import { test } from 'node:test';
import assert from 'node:assert/strict';
import { regressionMetrics, r2Score } from '../../../appliance/stats/regression.ts';
import { assertClose, golden } from './golden.ts';

void test('regression metrics match scikit-learn golden cases', () => {
  assert.ok(golden.regression.length >= 10);
  for (const expected of golden.regression) {
    const result = regressionMetrics(expected.actual, expected.predicted);
    const name = expected.name;
    assert.equal(result.n, expected.n, `${name}: n`);
    assertClose(result.me, expected.me, `${name}: me`);
    assertClose(result.mae, expected.mae, `${name}: mae`);
    assertClose(result.rmse, expected.rmse, `${name}: rmse`);
    assertClose(result.r2, expected.r2, `${name}: r2`);
    assertClose(result.mape, expected.mape, `${name}: mape`);
    assert.equal(result.mapeExcluded, expected.mape_excluded, `${name}: mape_excluded`);
    assertClose(result.maxError, expected.max_error, `${name}: max_error`);
  }
});

void test('r2 is NaN with a reason for constant actuals', () => {
  const result = regressionMetrics([4, 4, 4], [4, 5, 3]);
  assert.ok(Number.isNaN(result.r2));
  assert.match(result.reason ?? '', /every actual is equal/);
});

void test('r2 is NaN for one row', () => {
  assert.ok(Number.isNaN(r2Score([1], [2])));
  assert.match(regressionMetrics([1], [2]).reason ?? '', /at least 2/);
});

void test('regression metrics of no rows are NaN', () => {
  const result = regressionMetrics([], []);
  assert.equal(result.n, 0);
  assert.ok(Number.isNaN(result.mae));
  assert.ok(Number.isNaN(result.rmse));
  assert.match(result.reason ?? '', /no rows/);
});

void test('mape leaves out zero actuals and counts them', () => {
  const result = regressionMetrics([0, 2, 4], [1, 1, 5]);
  assert.equal(result.mapeExcluded, 1);
  assertClose(result.mape, (0.5 + 0.25) / 2, 'mape');
});
