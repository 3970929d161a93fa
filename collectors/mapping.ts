import type { JsonPath } from '../appliance/config/yaml-document.ts';
import { reject, type Rejection, type RejectionCode } from '../appliance/ingest/rejection.ts';

/**
 * A per-collector mapping from source records onto the ingest wire schema of events
 * (`stream`, `id`, `timestamp`, `features.*`, ...) or points (`name`, `labels.*`, `value`,
 * `timestamp`). Paths are dot-separated; a numeric segment indexes an array.
 */
export interface Mapping {
  target: 'events' | 'points';
  /** Target path to source field; absent means the source record is the row, unchanged. */
  fields?: FieldRule[];
  /** Values set on every row, such as a stream name or constant labels. */
  constants: { to: string; value: unknown }[];
  drop: DropRule[];
}

export interface FieldRule {
  to: string;
  from: string;
  type?: Coercion;
}

export type Coercion = 'number' | 'integer' | 'string' | 'boolean' | 'timestamp';
const coercions: readonly Coercion[] = ['number', 'integer', 'string', 'boolean', 'timestamp'];

/** Drops a record whose `from` field equals `equals`, is one of `in`, or is missing. */
export interface DropRule {
  from: string;
  equals?: unknown;
  in?: unknown[];
  missing?: boolean;
}

/** A mapping problem at a path relative to the `mapping` key. */
export interface MappingProblem {
  path: JsonPath;
  message: string;
}

/** Mapping result for one record: a wire row, a drop, or a rejection. */
export type Mapped = { row: Record<string, unknown> } | { dropped: true } | { rejected: true };

export const identityMapping = (target: 'events' | 'points'): Mapping => ({
  target,
  constants: [],
  drop: [],
});

/** Validates a raw `mapping:` section; reports every problem at once. */
export function parseMapping(
  raw: unknown,
  defaultTarget: 'events' | 'points',
): { mapping?: Mapping; problems: MappingProblem[] } {
  if (raw === undefined || raw === null)
    return { mapping: identityMapping(defaultTarget), problems: [] };
  if (!isObject(raw)) return { problems: [{ path: [], message: 'expected a mapping object' }] };

  const problems: MappingProblem[] = [];
  const target = raw.target ?? defaultTarget;
  if (target !== 'events' && target !== 'points') {
    problems.push({
      path: ['target'],
      message: `got ${JSON.stringify(target)}, expected events or points`,
    });
  }
  const fields = raw.fields === undefined ? undefined : parseFields(raw.fields, problems);
  const constants = parseConstants(raw.constants, problems);
  const drop = parseDrop(raw.drop, problems);
  for (const key of Object.keys(raw)) {
    if (!['target', 'fields', 'constants', 'drop'].includes(key)) {
      problems.push({
        path: [key],
        message: 'unknown key; expected target, fields, constants or drop',
      });
    }
  }
  if (problems.length > 0) return { problems };
  const mapping: Mapping = { target: target as Mapping['target'], constants, drop };
  if (fields !== undefined) mapping.fields = fields;
  return { mapping, problems };
}

function parseFields(raw: unknown, problems: MappingProblem[]): FieldRule[] {
  if (!isObject(raw)) {
    problems.push({ path: ['fields'], message: 'expected an object of target path: source path' });
    return [];
  }
  const rules: FieldRule[] = [];
  for (const [to, spec] of Object.entries(raw)) {
    if (typeof spec === 'string' && spec !== '') {
      rules.push({ to, from: spec });
      continue;
    }
    if (!isObject(spec) || typeof spec.from !== 'string' || spec.from === '') {
      const message =
        'expected a source path or { from: path, type: number|integer|string|boolean|timestamp }';
      problems.push({ path: ['fields', to], message });
      continue;
    }
    if (spec.type !== undefined && !coercions.includes(spec.type as Coercion)) {
      const message = `got ${JSON.stringify(spec.type)}, expected one of ${coercions.join(', ')}`;
      problems.push({ path: ['fields', to, 'type'], message });
      continue;
    }
    rules.push({
      to,
      from: spec.from,
      ...(spec.type === undefined ? {} : { type: spec.type as Coercion }),
    });
  }
  return rules;
}

function parseConstants(raw: unknown, problems: MappingProblem[]): Mapping['constants'] {
  if (raw === undefined) return [];
  if (!isObject(raw)) {
    problems.push({ path: ['constants'], message: 'expected an object of target path: value' });
    return [];
  }
  return Object.entries(raw).map(([to, value]) => ({ to, value }));
}

function parseDrop(raw: unknown, problems: MappingProblem[]): DropRule[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    problems.push({
      path: ['drop'],
      message: 'expected a list of { from, equals | in | missing }',
    });
    return [];
  }
  const rules: DropRule[] = [];
  raw.forEach((rule, index) => {
    const tests = isObject(rule) ? ['equals', 'in', 'missing'].filter((key) => key in rule) : [];
    if (!isObject(rule) || typeof rule.from !== 'string' || tests.length !== 1) {
      problems.push({
        path: ['drop', index],
        message: 'expected { from: path } with exactly one of equals, in or missing',
      });
      return;
    }
    if ('in' in rule && !Array.isArray(rule.in)) {
      problems.push({ path: ['drop', index, 'in'], message: 'expected a list of values' });
      return;
    }
    rules.push(rule as unknown as DropRule);
  });
  return rules;
}

/**
 * Maps one source record. A value that cannot be coerced rejects the record, and the rejection
 * in `out` names the target field, the value and the expected type. The caller keeps the rest.
 */
export function applyMapping(
  mapping: Mapping,
  record: unknown,
  index: number,
  out: Rejection[],
): Mapped {
  if (mapping.drop.some((rule) => matchesDrop(rule, record))) return { dropped: true };

  let row: Record<string, unknown>;
  if (mapping.fields === undefined) {
    row = isObject(record) ? { ...record } : { value: record };
  } else {
    row = {};
    for (const rule of mapping.fields) {
      const value = readPath(record, rule.from);
      if (value === undefined) continue;
      const coerced = rule.type === undefined ? value : coerce(value, rule.type);
      if (coerced === invalid) {
        const reason = `field ${rule.from} is not a valid ${rule.type}; fix the source or the mapping type`;
        reject(out, index, rule.to, value, codeFor(rule.to), reason);
        return { rejected: true };
      }
      writePath(row, rule.to, coerced);
    }
  }
  for (const constant of mapping.constants) writePath(row, constant.to, constant.value);
  return { row };
}

const invalid = Symbol('invalid');

function coerce(value: unknown, type: Coercion): unknown {
  if (value === null || value === '') return null;
  switch (type) {
    case 'number':
    case 'integer': {
      const number = toNumber(value);
      if (!Number.isFinite(number)) return invalid;
      return type === 'integer' && !Number.isInteger(number) ? invalid : number;
    }
    case 'string':
      return typeof value === 'object' ? invalid : String(value);
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === '1' || value === 1) return true;
      if (value === 'false' || value === '0' || value === 0) return false;
      return invalid;
    case 'timestamp':
      if (typeof value === 'number') return value;
      if (typeof value !== 'string') return invalid;
      return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  }
}

function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return NaN;
}

function codeFor(to: string): RejectionCode {
  if (to === 'timestamp') return 'invalid_timestamp';
  if (to === 'value') return 'invalid_value';
  if (to.startsWith('features.')) return 'invalid_feature';
  if (to.startsWith('labels.')) return 'invalid_label';
  if (to === 'latency_ms') return 'invalid_latency';
  return 'invalid_row';
}

function matchesDrop(rule: DropRule, record: unknown): boolean {
  const value = readPath(record, rule.from);
  if (rule.missing !== undefined) return (value === undefined || value === null) === rule.missing;
  if (rule.in !== undefined) return rule.in.some((candidate) => candidate === value);
  return value === rule.equals;
}

/** Reads a dot path; a numeric segment indexes an array. Undefined when any step is missing. */
export function readPath(record: unknown, path: string): unknown {
  let current: unknown = record;
  for (const segment of path.split('.')) {
    if (Array.isArray(current) && /^\d+$/.test(segment)) {
      current = current[Number(segment)];
    } else if (isObject(current) && Object.hasOwn(current, segment)) {
      current = current[segment];
    } else {
      return undefined;
    }
  }
  return current;
}

function writePath(row: Record<string, unknown>, path: string, value: unknown): void {
  const segments = path.split('.');
  let current = row;
  for (const segment of segments.slice(0, -1)) {
    const next = current[segment];
    if (!isObject(next)) current[segment] = Object.create(null) as Record<string, unknown>;
    current = current[segment] as Record<string, unknown>;
  }
  current[segments[segments.length - 1]!] = value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
