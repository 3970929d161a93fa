import type { EvaluationContext, EvaluationOutput, EvaluatorFactory } from '../evaluator.ts';

interface Selector {
  name: string;
  matchers: Record<string, string>;
}

/**
 * `series.ratio`: the sum of the rule's series (every matching labelset) over the window,
 * divided by the sum of `params.denominator` over the same window. On per-second rates from
 * the scrape collector, such as `model_prediction_errors_total:rate` over
 * `http_requests_total:rate`, that is the error ratio of the window, as PromQL's
 * `sum(rate(errors[w])) / sum(rate(requests[w]))` gives it.
 * A numerator with no points counts as 0, so a window without errors has a ratio of 0.
 * NOTE: summing rates weighs every scrape equally, so the ratio of counts is exact only when
 * the scrapes in the window are evenly spaced.
 */
export const seriesRatioEvaluator: EvaluatorFactory = {
  name: 'series.ratio',
  description:
    'Sum of the series over the window divided by the sum of params.denominator, such as ' +
    'failed over all requests.',
  input: 'series',
  needsReference: false,
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['denominator'],
    properties: {
      denominator: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        description: 'Selector of the denominator series: a name and optional label matchers.',
        properties: {
          name: { type: 'string', pattern: '^[A-Za-z_:][A-Za-z0-9_:]*$' },
          matchers: { type: 'object', additionalProperties: { type: 'string' } },
        },
      },
    },
  },
  outputs: {
    value: { metric: 'vigil_series_ratio', help: 'Numerator sum over denominator sum' },
    numerator: { metric: 'vigil_series_ratio_numerator', help: 'Sum of the rule series' },
    denominator: { metric: 'vigil_series_ratio_denominator', help: 'Sum of the denominator' },
  },
  outputLabels: [],
  create(inputs) {
    const numerator = inputs.series;
    if (numerator === undefined) {
      throw new Error(
        'series.ratio: inputs.series is missing; set it to the numerator series selector',
      );
    }
    const denominator = parseDenominator(inputs.params.denominator);
    return { evaluate: (context) => [ratioOutput(context, numerator, denominator)] };
  },
};

function parseDenominator(raw: unknown): Selector {
  const selector = raw as Partial<Selector> | undefined;
  if (typeof selector?.name !== 'string' || selector.name === '') {
    throw new Error(
      `series.ratio: params.denominator is invalid (got ${JSON.stringify(raw)}); ` +
        'use a selector such as { name: http_requests_total:rate, matchers: { code: "200" } }',
    );
  }
  return { name: selector.name, matchers: { ...(selector.matchers ?? {}) } };
}

function ratioOutput(
  context: EvaluationContext,
  numerator: Selector,
  denominator: Selector,
): EvaluationOutput {
  const top = sumPoints(context, numerator);
  const bottom = sumPoints(context, denominator);
  const value = bottom > 0 ? top / bottom : NaN;

  return {
    labels: {},
    values: { value, numerator: top, denominator: bottom },
    convention: { definition: 'sum of numerator points / sum of denominator points' },
    ...(bottom > 0 ? {} : { reason: `no positive ${denominator.name} points in window` }),
  };
}

/** Sums the finite points of every series the selector matches in the rule window. */
function sumPoints(context: EvaluationContext, selector: Selector): number {
  let sum = 0;
  for (const series of context.data.points(selector.name, selector.matchers, context.window)) {
    for (const value of series.values) if (Number.isFinite(value)) sum += value;
  }
  return sum;
}
