import type {
  EvaluatorFactory,
  EvaluatorInputKind,
} from '../../../appliance/evaluators/evaluator.ts';

/** Builds a fake evaluator for loader tests; it computes nothing. */
function fake(
  name: string,
  input: EvaluatorInputKind,
  outputs: string[],
  options: { needsReference?: boolean; paramsSchema?: Record<string, unknown> } = {},
): [string, EvaluatorFactory] {
  const factory: EvaluatorFactory = {
    name,
    description: `fake ${name}`,
    input,
    needsReference: options.needsReference ?? false,
    paramsSchema: options.paramsSchema ?? { type: 'object', additionalProperties: false },
    outputs: Object.fromEntries(
      outputs.map((field) => [field, { metric: `vigil_${field}`, help: field }]),
    ),
    outputLabels: input === 'events' && options.needsReference === true ? ['feature'] : [],
    create: () => ({ evaluate: () => [] }),
  };
  return [name, factory];
}

export const fakeEvaluators: ReadonlyMap<string, EvaluatorFactory> = new Map([
  fake('quality.mae', 'events', ['value']),
  fake('quality.r2', 'events', ['value']),
  fake('drift.ks', 'events', ['value', 'statistic', 'p_value'], { needsReference: true }),
  fake('anomaly.robust_zscore', 'series', ['value', 'score'], {
    paramsSchema: {
      type: 'object',
      additionalProperties: false,
      properties: { window: { type: 'string' }, threshold: { type: 'number', minimum: 0 } },
    },
  }),
]);
