import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { forecast, initialStates, smooth } from '../../../appliance/stats/holt.ts';
import { fitHolt } from '../../../appliance/stats/holt-fit.ts';
import { minimise } from '../../../appliance/stats/nelder-mead.ts';

/** Fitted weights from statsmodels ETSModel.fit, written by test/golden/trend.py. */
const golden = JSON.parse(readFileSync('test/golden/trend.json', 'utf8')) as {
  holt_fit: {
    values: number[];
    period: number;
    alpha: number;
    beta: number;
    gamma: number;
    sse: number;
    forecasts: { h: number; mean: number; lower: number; upper: number }[];
  }[];
};

function close(actual: number, expected: number, tolerance: number, label: string): void {
  const scale = Math.max(1, Math.abs(expected));
  assert.ok(
    Math.abs(actual - expected) <= tolerance * scale,
    `${label}: got ${actual}, expected ${expected}`,
  );
}

void test('nelder-mead finds the Rosenbrock minimum', () => {
  const rosenbrock = ([x, y]: number[]) => (1 - x!) ** 2 + 100 * (y! - x! * x!) ** 2;
  const result = minimise(rosenbrock, [-1.2, 1], { tolerance: 1e-12, maxIterations: 5000 });
  close(result.point[0]!, 1, 1e-5, 'x');
  close(result.point[1]!, 1, 1e-5, 'y');
  assert.ok(result.value < 1e-10, `minimum value ${result.value}`);
});

void test('nelder-mead treats NaN as infinite', () => {
  const result = minimise(([x]) => (x! < 0 ? NaN : (x! - 2) ** 2), [1], { step: 0.5 });
  close(result.point[0]!, 2, 1e-5, 'x');
});

for (const [i, c] of golden.holt_fit.entries()) {
  const kind = c.period > 0 ? `holt-winters (m = ${c.period})` : 'holt';
  void test(`fitted ${kind} case ${i} matches statsmodels`, () => {
    const start = initialStates(c.values, c.period);
    assert.ok(start !== undefined);
    const fit = fitHolt(c.values, start, c.period);

    // Both minimise the same SSE, so ours is at most statsmodels' (up to rounding).
    assert.ok(fit.sse <= c.sse * (1 + 1e-9), `SSE ${fit.sse} against ${c.sse}`);
    close(fit.sse, c.sse, 1e-6, 'sse');
    close(fit.options.alpha, c.alpha, 2e-3, 'alpha');
    close(fit.options.beta, c.beta, 2e-3, 'beta');
    close(fit.options.gamma, c.gamma, 2e-3, 'gamma');

    const state = smooth(c.values, start, fit.options);
    for (const expected of c.forecasts) {
      const result = forecast(state, fit.options, expected.h);
      close(result.mean, expected.mean, 1e-3, `mean at h = ${expected.h}`);
      close(result.lower, expected.lower, 1e-3, `lower at h = ${expected.h}`);
      close(result.upper, expected.upper, 1e-3, `upper at h = ${expected.h}`);
    }
  });
}

void test('fitted holt keeps given weights', () => {
  const c = golden.holt_fit[0]!;
  const start = initialStates(c.values, 0)!;
  const fixed = fitHolt(c.values, start, 0, { alpha: 0.3, beta: 0.1 });
  assert.equal(fixed.options.alpha, 0.3);
  assert.equal(fixed.options.beta, 0.1);
  close(fixed.sse, smooth(c.values, start, fixed.options).sigma2 * c.values.length, 1e-12, 'sse');

  const partly = fitHolt(c.values, start, 0, { alpha: 0.3 });
  assert.equal(partly.options.alpha, 0.3);
  assert.ok(partly.options.beta > 0, `beta ${partly.options.beta}`);
  assert.ok(partly.options.beta < 0.3, `beta ${partly.options.beta}`);
  assert.ok(partly.sse <= fixed.sse, `SSE ${partly.sse} against ${fixed.sse} with beta fixed`);
});
