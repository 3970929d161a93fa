import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { Problem } from './config.ts';
import { durationExample, parseDuration } from './duration.ts';
import { problemAt, type JsonPath, type ParsedYaml } from './yaml-document.ts';

/**
 * Validates plain data against a JSON Schema (draft-07, ajv 8) and turns every ajv error into a
 * `Problem` at the line and column of the offending value. Messages give the value and what was
 * expected, such as `got "5 minutes", expected a duration such as 5m or 1h30m`. A schema may add
 * `x-expected` to any subschema to name what a valid value looks like in messages, and
 * `x-secret: true` to give a string's length in messages in place of its characters.
 */

/** Creates the ajv instance the config and rule schemas compile with. */
export function createSchemaValidator(): Ajv {
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
  ajv.addKeyword('x-expected');
  ajv.addKeyword('x-secret');
  ajv.addFormat('duration', {
    type: 'string',
    validate: (text) => parseDuration(text) !== undefined,
  });
  ajv.addFormat('date-time', { type: 'string', validate: isRfc3339 });
  return ajv;
}

export interface SchemaCheckOptions {
  /** Path of the validated value inside the document, for values checked on their own. */
  basePath?: JsonPath;
  /** Reports unknown keys as warnings, for files of a newer minor version. */
  unknownKeysAsWarnings?: boolean;
}

export function validateWithSchema(
  parsed: ParsedYaml,
  value: unknown,
  validate: ValidateFunction,
  options: SchemaCheckOptions = {},
): Problem[] {
  if (validate(value)) {
    return [];
  }

  const basePath = options.basePath ?? [];
  const problems: Problem[] = [];
  for (const error of relevantErrors(validate.errors ?? [])) {
    const path = [...basePath, ...pointerToPath(error.instancePath)];
    const { message, keyPath, onKey } = describeError(error, path);
    const unknownKey = error.keyword === 'additionalProperties';
    const severity = unknownKey && options.unknownKeysAsWarnings === true ? 'warning' : 'error';
    problems.push(problemAt(parsed, keyPath, message, severity, onKey));
  }
  return problems.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** Checks RFC 3339 date-times such as `2011-01-01T00:00:00Z` or `...T00:00:00.5+02:00`. */
export function isRfc3339(text: string): boolean {
  const pattern = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;
  return pattern.test(text) && Number.isFinite(Date.parse(text));
}

// Errors inside `oneOf`/`anyOf` branches and `if` tests are noise once the combining keyword has
// reported; the combining error names what is expected through `x-expected`.
function relevantErrors(errors: ErrorObject[]): ErrorObject[] {
  return errors.filter(
    (error) => !/\/(oneOf|anyOf)\/\d+\//.test(error.schemaPath) && error.keyword !== 'if',
  );
}

function describeError(
  error: ErrorObject,
  path: JsonPath,
): { message: string; keyPath: JsonPath; onKey: boolean } {
  const schema = error.parentSchema as Record<string, unknown> | undefined;
  const got =
    schema?.['x-secret'] === true ? describeSecret(error.data) : describeValue(error.data);
  const expected = schema?.['x-expected'];
  const params = error.params as Record<string, unknown>;

  switch (error.keyword) {
    case 'required': {
      const key = String(params.missingProperty);
      return { message: `missing required key "${key}"`, keyPath: path, onKey: false };
    }
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const known = Object.keys(schemaProperties(error.parentSchema));
      const message = `unknown key "${key}"; expected one of ${known.join(', ')}`;
      return { message, keyPath: [...path, key], onKey: true };
    }
    case 'format':
      return {
        message: `got ${got}, expected ${formatExample(String(params.format), expected)}`,
        keyPath: path,
        onKey: false,
      };
    case 'enum':
      return {
        message: `got ${got}, expected one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
        keyPath: path,
        onKey: false,
      };
    default: {
      const what = typeof expected === 'string' ? expected : ajvExpectation(error);
      return { message: `got ${got}, expected ${what}`, keyPath: path, onKey: false };
    }
  }
}

function ajvExpectation(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'type':
      return article(String(params.type).replaceAll(',', ' or '));
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `a number ${String(params.comparison)} ${String(params.limit)}`;
    case 'minItems':
      return `at least ${String(params.limit)} item(s)`;
    case 'minLength':
      return `at least ${String(params.limit)} character(s)`;
    case 'maxLength':
      return `at most ${String(params.limit)} character(s)`;
    case 'pattern':
      return `text matching ${String(params.pattern)}`;
    case 'uniqueItems':
      return `no repeated items (items ${String(params.j)} and ${String(params.i)} are equal)`;
    case 'const':
      return JSON.stringify(params.allowedValue);
    default:
      return `a value that ${error.message ?? 'matches the schema'}`;
  }
}

function formatExample(format: string, expected: unknown): string {
  if (typeof expected === 'string') {
    return expected;
  }
  if (format === 'duration') {
    return durationExample;
  }
  if (format === 'date-time') {
    return 'an RFC 3339 time such as 2011-01-01T00:00:00Z';
  }
  return `a value of format ${format}`;
}

/** Describes a secret by its length, so a wrong token never reaches the log. */
function describeSecret(value: unknown): string {
  return typeof value === 'string'
    ? `a secret of ${value.length} characters`
    : describeValue(value);
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) {
    return 'nothing';
  }
  if (Array.isArray(value)) {
    return 'a list';
  }
  if (typeof value === 'object') {
    return 'a mapping';
  }
  // JSON.stringify prints NaN and ±Infinity (YAML .nan, .inf, 1e400) as null.
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return String(value);
  }
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}..."` : text;
}

function article(type: string): string {
  const names: Record<string, string> = {
    object: 'a mapping',
    array: 'a list',
    string: 'a string',
    number: 'a number',
    integer: 'an integer',
    boolean: 'true or false',
  };
  return type
    .split(' or ')
    .map((name) => names[name] ?? name)
    .join(' or ');
}

function schemaProperties(schema: unknown): Record<string, unknown> {
  const properties = (schema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return properties ?? {};
}

function pointerToPath(pointer: string): Array<string | number> {
  if (pointer === '') {
    return [];
  }
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}
