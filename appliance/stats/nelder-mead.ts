/**
 * Nelder-Mead simplex minimisation of a function of a few unconstrained variables, with the
 * standard coefficients (reflection 1, expansion 2, contraction 0.5, shrink 0.5). It stops when
 * the function values of the simplex span at most `tolerance` times the best value's magnitude
 * (so 0 for an exact minimum of 0), or after `maxIterations`. Derivative-free, so it suits objectives such as a smoothing SSE whose
 * gradient is not available in closed form.
 */
export interface MinimiseOptions {
  /** Edge of the initial simplex along each axis. */
  step: number;
  /** Relative spread of the simplex's function values at which the search stops. */
  tolerance: number;
  maxIterations: number;
}

export interface Minimum {
  point: number[];
  value: number;
  iterations: number;
}

const DEFAULTS: MinimiseOptions = { step: 0.5, tolerance: 1e-10, maxIterations: 2000 };

/** Minimises `f` from `start`; a non-finite value of `f` counts as +Infinity. */
export function minimise(
  f: (point: number[]) => number,
  start: readonly number[],
  options: Partial<MinimiseOptions> = {},
): Minimum {
  const { step, tolerance, maxIterations } = { ...DEFAULTS, ...options };
  const evaluate = (point: number[]) => {
    const value = f(point);
    return Number.isFinite(value) ? value : Infinity;
  };

  const dims = start.length;
  const simplex: number[][] = [start.slice()];
  for (let i = 0; i < dims; i += 1) {
    const vertex = start.slice();
    vertex[i] = vertex[i]! + step;
    simplex.push(vertex);
  }
  let values = simplex.map(evaluate);

  let iterations = 0;
  for (; iterations < maxIterations; iterations += 1) {
    const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]!);
    const sorted = order.map((i) => simplex[i]!);
    values = order.map((i) => values[i]!);
    simplex.splice(0, simplex.length, ...sorted);
    // Equal values end the search too, including a simplex where f is infinite everywhere.
    const spread = values[dims]! - values[0]!;
    if (values[dims] === values[0] || spread <= tolerance * Math.abs(values[0]!)) break;

    const centroid = new Array<number>(dims).fill(0);
    for (let v = 0; v < dims; v += 1) {
      for (let i = 0; i < dims; i += 1) centroid[i] = centroid[i]! + simplex[v]![i]! / dims;
    }
    const worst = simplex[dims]!;
    const along = (t: number) => centroid.map((c, i) => c + t * (c - worst[i]!));

    const reflected = along(1);
    const reflectedValue = evaluate(reflected);
    if (reflectedValue < values[0]!) {
      const expanded = along(2);
      const expandedValue = evaluate(expanded);
      const better = expandedValue < reflectedValue;
      simplex[dims] = better ? expanded : reflected;
      values[dims] = better ? expandedValue : reflectedValue;
      continue;
    }
    if (reflectedValue < values[dims - 1]!) {
      simplex[dims] = reflected;
      values[dims] = reflectedValue;
      continue;
    }

    const outside = reflectedValue < values[dims]!;
    const contracted = along(outside ? 0.5 : -0.5);
    const contractedValue = evaluate(contracted);
    if (contractedValue < Math.min(reflectedValue, values[dims]!)) {
      simplex[dims] = contracted;
      values[dims] = contractedValue;
      continue;
    }

    // Shrink every vertex halfway towards the best one.
    const best = simplex[0]!;
    for (let v = 1; v <= dims; v += 1) {
      simplex[v] = simplex[v]!.map((x, i) => best[i]! + 0.5 * (x - best[i]!));
      values[v] = evaluate(simplex[v]!);
    }
  }

  let bestIndex = 0;
  for (let v = 1; v <= dims; v += 1) if (values[v]! < values[bestIndex]!) bestIndex = v;
  return { point: simplex[bestIndex]!, value: values[bestIndex]!, iterations };
}
