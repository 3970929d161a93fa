import type { EvaluationOutput, EvaluatorFactory, EvaluatorInputs } from '../evaluator.ts';
import { featureColumn } from '../features.ts';
import { splitColumn } from '../../stats/samples.ts';

/** Expected shape of one feature. */
interface FeatureSchema {
  type?: 'number' | 'string' | 'boolean';
  /** Inclusive bounds for numbers. */
  min?: number;
  max?: number;
  /** Allowed values, compared with `===` after the type check. */
  allowed?: (string | number | boolean)[];
  /** Whether a missing value is a violation; false by default, missing values are counted by data.missing_rate. */
  required?: boolean;
}

/** Label of the output that counts rows violating any feature's schema. */
export const ALL_FEATURES_LABEL = '*';

/**
 * Rows in the window whose feature values break the expected type, range or allowed values,
 * per feature of `params.features` and once over all of them (feature "*"). A non-finite
 * number (±Infinity) breaks a `number` type or a range, while NaN counts as missing. An empty
 * window gives NaN with a reason.
 */
export const schemaViolationsEvaluator: EvaluatorFactory = {
  name: 'data.schema_violations',
  description: 'Share of events whose feature values break the expected type, range or allowed values.',
  input: 'events',
  needsReference: false,
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['features'],
    properties: {
      features: {
        type: 'object',
        minProperties: 1,
        additionalProperties: {
          type: 'object',
          additionalProperties: false,
          properties: {
            type: { enum: ['number', 'string', 'boolean'] },
            min: { type: 'number' },
            max: { type: 'number' },
            allowed: { type: 'array', items: { type: ['string', 'number', 'boolean'] } },
            required: { type: 'boolean' },
          },
        },
      },
    },
  },
  outputs: {
    value: { metric: 'vigil_schema_violations_ratio', help: 'Share of events breaking the schema' },
    violations: { metric: 'vigil_schema_violations_events', help: 'Events breaking the schema' },
    n: { metric: 'vigil_schema_checked_events', help: 'Events in the window' },
  },
  outputLabels: ['feature'],
  create(inputs) {
    const stream = requireStream(inputs);
    const schemas = requireSchemas(inputs);
    return {
      evaluate(context) {
        const events = context.data.events(stream, context.window);
        const rowsWithAny = new Set<number>();
        const outputs: EvaluationOutput[] = [];

        for (const [feature, schema] of schemas) {
          const column = featureColumn(events, feature);
          const rows = violatingRows(column, schema);
          rows.forEach((row) => rowsWithAny.add(row));
          outputs.push(output(feature, rows.length, events.length, describe(schema)));
        }
        outputs.push(output(ALL_FEATURES_LABEL, rowsWithAny.size, events.length, {}));
        return outputs;
      },
    };
  },
};

/** Row indexes whose value breaks the schema. */
export function violatingRows(column: readonly unknown[], schema: FeatureSchema): number[] {
  const rows: number[] = [];
  column.forEach((value, row) => {
    if (breaks(value, schema)) rows.push(row);
  });
  return rows;
}

function breaks(value: unknown, schema: FeatureSchema): boolean {
  const sample = splitColumn([value]);
  if (sample.missing > 0) {
    return schema.required === true;
  }
  if (sample.nonFinite > 0) {
    return schema.type !== undefined || schema.min !== undefined || schema.max !== undefined;
  }
  if (schema.type !== undefined && typeof value !== schema.type) {
    return true;
  }
  if (typeof value === 'number') {
    if (schema.min !== undefined && value < schema.min) return true;
    if (schema.max !== undefined && value > schema.max) return true;
  }
  return schema.allowed !== undefined && !schema.allowed.includes(value as string | number | boolean);
}

function output(
  feature: string,
  violations: number,
  n: number,
  convention: Record<string, string | number | boolean>,
): EvaluationOutput {
  const result: EvaluationOutput = {
    labels: { feature },
    values: { value: n === 0 ? NaN : violations / n, violations, n },
    convention: { ...convention, n },
  };
  if (n === 0) result.reason = 'no events in window';
  return result;
}

function describe(schema: FeatureSchema): Record<string, string | number | boolean> {
  const convention: Record<string, string | number | boolean> = {
    missing_is_violation: schema.required === true,
  };
  if (schema.type !== undefined) convention.type = schema.type;
  if (schema.min !== undefined) convention.min = schema.min;
  if (schema.max !== undefined) convention.max = schema.max;
  if (schema.allowed !== undefined) convention.allowed = schema.allowed.join(',');
  return convention;
}

function requireStream(inputs: EvaluatorInputs): string {
  if (inputs.stream === undefined || inputs.stream === '') {
    throw new Error('data.schema_violations: inputs.stream is missing; set it to the stream to watch');
  }
  return inputs.stream;
}

function requireSchemas(inputs: EvaluatorInputs): [string, FeatureSchema][] {
  const features = inputs.params.features;
  if (typeof features !== 'object' || features === null || Object.keys(features).length === 0) {
    throw new Error(
      'data.schema_violations: params.features is missing; map each feature to { type, min, max, allowed }',
    );
  }
  return Object.entries(features as Record<string, FeatureSchema>);
}
