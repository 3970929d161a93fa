import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { evaluators } from '../../../appliance/evaluators/registry.ts';
import { DEFAULT_INGEST_LIMITS } from '../../../appliance/ingest/limits.ts';
import type { Rejection } from '../../../appliance/ingest/rejection.ts';
import { validateActual } from '../../../appliance/ingest/validate-actual.ts';
import { validateEvent } from '../../../appliance/ingest/validate-event.ts';
import { validatePoint } from '../../../appliance/ingest/validate-point.ts';
import { ExpressionError, compileCondition } from '../../../appliance/rules/expression.ts';
import { loadRules } from '../../../appliance/rules/load-rules.ts';
import { TemplateError, compileTemplate } from '../../../appliance/rules/template.ts';
import { sanitizePointProperty } from './sanitize-point-property.ts';

/**
 * Properties over the parsers of untrusted input: any input yields a result or a clear,
 * typed error, and no other exception escapes. The unit tests run them with a fixed seed;
 * `bench/fuzz.ts` runs them longer.
 */
export interface FuzzProperty {
  name: string;
  /** Runs in the unit test; the fuzz campaign multiplies it. */
  runs: number;
  property: fc.IProperty<unknown[]>;
}

const REPOSITORY = join(import.meta.dirname, '..', '..', '..');
const BIKE_RULES = readFileSync(join(REPOSITORY, 'rules', 'bike-model.yaml'), 'utf8');

/** Wire rows: mostly near-valid objects with hostile fields, some arbitrary values. */
const wireRow = fc.oneof(
  fc.anything(),
  fc.record(
    {
      stream: fc.oneof(fc.string(), fc.constantFrom('bikes', '__proto__', 'constructor')),
      id: fc.oneof(fc.string(), fc.integer()),
      timestamp: fc.oneof(fc.double(), fc.string(), fc.integer()),
      features: fc.dictionary(fc.oneof(fc.string(), fc.constant('__proto__')), fc.jsonValue()),
      prediction: fc.jsonValue(),
      actual: fc.jsonValue(),
      name: fc.oneof(fc.string(), fc.constant('requests_total')),
      labels: fc.dictionary(fc.string(), fc.jsonValue()),
      value: fc.oneof(fc.double(), fc.string()),
    },
    { requiredKeys: [] },
  ),
);

/** Checks the validator contract: a record with no rejections, or null with at least one. */
function validatorProperty(
  validate: (
    raw: unknown,
    index: number,
    limits: typeof DEFAULT_INGEST_LIMITS,
    out: Rejection[],
  ) => unknown,
) {
  return fc.property(wireRow, (row) => {
    const rejections: Rejection[] = [];
    const result = validate(row, 0, DEFAULT_INGEST_LIMITS, rejections);
    if (result === null) return rejections.length > 0 && rejections.every(isClearRejection);
    return rejections.length === 0;
  });
}

function isClearRejection(rejection: Rejection): boolean {
  return rejection.reason.length > 0 && rejection.code.length > 0 && rejection.index === 0;
}

/** Accepts a typed error with a message and a column; rethrows anything else. */
function expectTypedError(run: () => void, type: typeof TemplateError | typeof ExpressionError) {
  try {
    run();
    return true;
  } catch (error) {
    if (error instanceof type && error.message.length > 0 && error.column >= 1) return true;
    throw error;
  }
}

const templateSource = fc.oneof(
  fc.string(),
  fc
    .array(
      fc.constantFrom(
        '{{',
        '}}',
        '{{-',
        '-}}',
        ' $value ',
        '$labels.',
        '$values.x',
        '|',
        ' printf "%.2f" ',
        '"',
        'humanize',
        '(',
        ')',
        'process.env',
        'constructor',
        '__proto__',
        'text',
      ),
    )
    .map((parts) => parts.join('')),
);

const conditionSource = fc.oneof(
  fc.string(),
  fc
    .array(
      fc.constantFrom(
        'value',
        ' > ',
        ' >= ',
        ' == ',
        '80',
        '1e-3',
        'NaN',
        'Inf',
        ' and ',
        ' or ',
        'not ',
        '(',
        ')',
        ' + ',
        ' / ',
        '-',
        'constructor',
      ),
    )
    .map((parts) => parts.join('')),
);

const templateData = fc.record({
  labels: fc.dictionary(fc.string(), fc.string()),
  value: fc.double(),
  values: fc.dictionary(fc.string(), fc.double()),
});

/** Rule files: the bike rules cut, spliced and overwritten at random, or arbitrary text. */
const ruleFileText = fc.oneof(
  fc.string(),
  fc
    .tuple(fc.nat(BIKE_RULES.length), fc.nat(200), fc.string())
    .map(([at, cut, insert]) => BIKE_RULES.slice(0, at) + insert + BIKE_RULES.slice(at + cut)),
);

function loadRuleText(directory: string, text: string): boolean {
  const file = join(directory, 'rules.yaml');
  writeFileSync(file, text);
  const { problems } = loadRules([file], { evaluators, env: {} });
  return problems.every((problem) => problem.message.length > 0 && problem.line >= 1);
}

/** Builds the properties; `directory` is a scratch folder for rule files. */
export function fuzzProperties(directory: string): FuzzProperty[] {
  return [
    { name: 'validateEvent', runs: 500, property: validatorProperty(validateEvent) },
    { name: 'validatePoint', runs: 500, property: validatorProperty(validatePoint) },
    { name: 'validateActual', runs: 500, property: validatorProperty(validateActual) },
    {
      name: 'compileTemplate',
      runs: 500,
      property: fc.property(templateSource, templateData, (source, data) =>
        expectTypedError(() => {
          const rendered = compileTemplate(source).render(data);
          if (typeof rendered !== 'string') throw new Error('render returned a non-string');
        }, TemplateError),
      ),
    },
    {
      name: 'compileCondition',
      runs: 500,
      property: fc.property(
        conditionSource,
        fc.dictionary(fc.string(), fc.double()),
        (source, values) =>
          expectTypedError(() => {
            const result = compileCondition(source).evaluate(values);
            if (typeof result !== 'boolean') throw new Error('evaluate returned a non-boolean');
          }, ExpressionError),
      ),
    },
    {
      name: 'loadRules',
      runs: 100,
      property: fc.property(ruleFileText, (text) => loadRuleText(directory, text)),
    },
    { name: 'sanitizePoint', runs: 1_000, property: sanitizePointProperty },
  ];
}
