import type { HoltOptions, HoltState } from './holt.ts';
import { smooth } from './holt.ts';
import { minimise } from './nelder-mead.ts';

/** Smoothing weights of a Holt or Holt-Winters model; an undefined weight is fitted. */
export interface HoltWeights {
  alpha?: number;
  beta?: number;
  gamma?: number;
}

export interface HoltFit {
  options: HoltOptions;
  /** Sum of squared one-step errors at the fitted weights. */
  sse: number;
}

/** Distance of the fitted weights from the edges of their ranges, as statsmodels ETSModel uses. */
const EDGE = 1e-4;
const STARTS = [0.1, 0.5, 0.9];

/**
 * Fits the free smoothing weights by minimising the sum of squared one-step errors over
 * `values` from the initial states `start`. With additive errors and fixed initial states this
 * is the maximum-likelihood fit of statsmodels' ETSModel (0.15). The region is the usual one of
 * that model: 0 < α < 1, 0 < β < α and 0 < γ < 1 − α, each 1e-4 inside its edges, with β and γ
 * searched as fractions of α and 1 − α. Nelder-Mead starts from fractions 0.1, 0.5 and 0.9 and
 * keeps the best, because the SSE can have more than one local minimum. Given weights stay fixed.
 */
export function fitHolt(
  values: ArrayLike<number>,
  start: HoltState,
  period: number,
  given: HoltWeights = {},
): HoltFit {
  const free = freeWeights(given, period);
  const weightsAt = (point: readonly number[]) => toOptions(point, free, given, period);
  const sseAt = (point: number[]) => smooth(values, start, weightsAt(point)).sigma2 * values.length;

  if (free.length === 0) {
    const options = weightsAt([]);
    return { options, sse: smooth(values, start, options).sigma2 * values.length };
  }

  let best: { point: number[]; value: number } | undefined;
  for (const fraction of STARTS) {
    const initial = free.map(() => logit(fraction));
    const result = minimise(sseAt, initial, { step: 1, tolerance: 1e-12, maxIterations: 2000 });
    if (best === undefined || result.value < best.value) best = result;
  }
  return { options: weightsAt(best!.point), sse: best!.value };
}

type Weight = 'alpha' | 'beta' | 'gamma';

function freeWeights(given: HoltWeights, period: number): Weight[] {
  const names: Weight[] = period > 0 ? ['alpha', 'beta', 'gamma'] : ['alpha', 'beta'];
  return names.filter((name) => given[name] === undefined);
}

/** Maps the free search variables to weights: each is a fraction of its range. */
function toOptions(
  point: readonly number[],
  free: readonly Weight[],
  given: HoltWeights,
  period: number,
): HoltOptions {
  const fraction = (name: Weight) => bounded(point[free.indexOf(name)]!);
  const alpha = given.alpha ?? fraction('alpha');
  const beta = given.beta ?? alpha * fraction('beta');
  const gamma = period > 0 ? (given.gamma ?? (1 - alpha) * fraction('gamma')) : 0;
  return { alpha, beta, gamma, period };
}

/** Logistic map of a real number into [EDGE, 1 - EDGE]. */
function bounded(x: number): number {
  return EDGE + (1 - 2 * EDGE) / (1 + Math.exp(-x));
}

function logit(p: number): number {
  return Math.log(p / (1 - p));
}
