import { resolve } from 'node:path';

import type { Problem } from '../appliance/config/config.ts';
import { parseDuration } from '../appliance/config/duration.ts';
import { problemAt, type JsonPath, type ParsedYaml } from '../appliance/config/yaml-document.ts';
import { parseMapping, type Mapping } from './mapping.ts';

/** One validated `collectors:` entry of `appliance.yaml`, durations in milliseconds. */
export type CollectorSpec =
  | {
      kind: 'file';
      name: string;
      path: string;
      format: 'ndjson' | 'csv';
      mapping: Mapping;
      checkpointPath: string;
      intervalMs: number;
      batchLines: number;
    }
  | {
      kind: 'replay';
      name: string;
      path: string;
      format: 'ndjson' | 'csv';
      mapping: Mapping;
      speed: number;
      progress: boolean;
    }
  | {
      kind: 'prometheus';
      name: string;
      targets: string[];
      intervalMs: number;
      timeoutMs: number;
      keep: Matcher[];
      drop: Matcher[];
    }
  | {
      kind: 'http_poll';
      name: string;
      url: string;
      intervalMs: number;
      timeoutMs: number;
      headers: Record<string, string>;
      itemsPath: string;
      cursorPath?: string;
      cursorParam: string;
      idPath: string;
      maxPages: number;
      mode: 'events' | 'count';
      mapping: Mapping;
      count?: {
        series: string;
        textPath: string;
        keywords: string[];
        labels: Record<string, string>;
      };
    }
  | { kind: 'host'; name: string; intervalMs: number; paths: string[] };

type Matcher = { name?: string; labels?: Record<string, string> };
type Section = Record<string, unknown>;

const kinds = ['file', 'replay', 'prometheus', 'http_poll', 'host'] as const;

/**
 * Validates the `collectors:` list and reports every problem at once, each at its
 * `file:line:column`. Relative paths resolve against `base`, the config file's folder;
 * checkpoints default to `<store path>/collectors/<name>.checkpoint.json`.
 */
export function collectorsFromSection(
  raw: unknown,
  parsed: ParsedYaml,
  base: string,
  storePath: string,
): { specs: CollectorSpec[]; problems: Problem[] } {
  if (raw === undefined || raw === null) return { specs: [], problems: [] };
  const problems: Problem[] = [];
  const specs: CollectorSpec[] = [];
  if (!Array.isArray(raw)) {
    return {
      specs,
      problems: [problemAt(parsed, ['collectors'], 'expected a list of collectors')],
    };
  }
  const names = new Set<string>();
  raw.forEach((entry, index) => {
    const reader = new Reader(
      parsed,
      ['collectors', index],
      isSection(entry) ? entry : {},
      problems,
    );
    const spec = buildSpec(reader, base, storePath);
    if (spec === undefined) return;
    if (names.has(spec.name))
      reader.problem(
        ['name'],
        `duplicate collector name "${spec.name}"; give each collector its own name`,
      );
    names.add(spec.name);
    specs.push(spec);
  });
  return { specs, problems };
}

function buildSpec(reader: Reader, base: string, storePath: string): CollectorSpec | undefined {
  const name = reader.string('name', undefined, /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/);
  const kind = reader.oneOf('kind', kinds, undefined);
  if (name === undefined || kind === undefined) return undefined;
  const before = reader.count();

  let spec: CollectorSpec;
  if (kind === 'file' || kind === 'replay') {
    const path = resolve(base, reader.string('path', undefined) ?? '.');
    const format = reader.oneOf('format', ['ndjson', 'csv'] as const, 'ndjson')!;
    const mapping = reader.mapping('events');
    spec =
      kind === 'file'
        ? {
            kind,
            name,
            path,
            format,
            mapping,
            checkpointPath: resolve(
              base,
              reader.string(
                'checkpoint',
                resolve(storePath, 'collectors', `${name}.checkpoint.json`),
              )!,
            ),
            intervalMs: reader.duration('interval', '1s'),
            batchLines: reader.integer('batch_lines', 5_000),
          }
        : {
            kind,
            name,
            path,
            format,
            mapping,
            speed: reader.number('speed', 1),
            progress: reader.boolean('progress', false),
          };
  } else if (kind === 'prometheus') {
    spec = {
      kind,
      name,
      targets: reader.strings('targets', []),
      intervalMs: reader.duration('interval', '15s'),
      timeoutMs: reader.duration('timeout', '10s'),
      keep: reader.matchers('keep'),
      drop: reader.matchers('drop'),
    };
  } else if (kind === 'http_poll') {
    const mode = reader.oneOf('mode', ['events', 'count'] as const, 'events')!;
    const cursorPath = reader.optionalString('cursor_path');
    const count = mode === 'count' ? reader.countOptions() : undefined;
    spec = {
      kind,
      name,
      url: reader.string('url', undefined, /^https?:\/\//) ?? '',
      intervalMs: reader.duration('interval', '1m'),
      timeoutMs: reader.duration('timeout', '10s'),
      headers: reader.stringMap('headers'),
      itemsPath: reader.string('items_path', '')!,
      ...(cursorPath === undefined ? {} : { cursorPath }),
      cursorParam: reader.string('cursor_param', 'cursor')!,
      idPath: reader.string('id_path', 'id')!,
      maxPages: reader.integer('max_pages', 10),
      mode,
      mapping: reader.mapping('events'),
      ...(count === undefined ? {} : { count }),
    };
  } else {
    spec = {
      kind,
      name,
      intervalMs: reader.duration('interval', '15s'),
      paths: reader.strings('paths', ['/']).map((path) => resolve(base, path)),
    };
  }
  return reader.count() > before ? undefined : spec;
}

/** Reads typed keys of one entry and records a problem at the key for each bad value. */
class Reader {
  constructor(
    private readonly parsed: ParsedYaml,
    private readonly path: JsonPath,
    private readonly section: Section,
    private readonly problems: Problem[],
  ) {}

  count(): number {
    return this.problems.length;
  }

  problem(key: JsonPath, message: string): void {
    this.problems.push(problemAt(this.parsed, [...this.path, ...key], message));
  }

  string(key: string, fallback: string | undefined, pattern?: RegExp): string | undefined {
    const value = this.section[key];
    if (value === undefined) {
      if (fallback === undefined) this.problem([], `missing ${key}; add it to the collector`);
      return fallback;
    }
    if (typeof value !== 'string' || (pattern !== undefined && !pattern.test(value))) {
      this.problem(
        [key],
        `got ${JSON.stringify(value)}, expected ${pattern === undefined ? 'a string' : `a string matching ${pattern.source}`}`,
      );
      return fallback;
    }
    return value;
  }

  optionalString(key: string): string | undefined {
    return this.section[key] === undefined ? undefined : this.string(key, undefined);
  }

  oneOf<T extends string>(
    key: string,
    allowed: readonly T[],
    fallback: T | undefined,
  ): T | undefined {
    const value = this.section[key] ?? fallback;
    if (allowed.includes(value as T)) return value as T;
    this.problem(
      value === undefined ? [] : [key],
      `got ${JSON.stringify(value)} for ${key}, expected one of ${allowed.join(', ')}`,
    );
    return undefined;
  }

  duration(key: string, fallback: string): number {
    const value = this.section[key] ?? fallback;
    const ms = typeof value === 'string' ? parseDuration(value) : undefined;
    if (ms === undefined || ms <= 0) {
      this.problem(
        [key],
        `got ${JSON.stringify(value)}, expected a duration above 0 such as 15s or 1m`,
      );
      return parseDuration(fallback) ?? 1_000;
    }
    return ms;
  }

  number(key: string, fallback: number): number {
    const value = this.section[key] ?? fallback;
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
    this.problem([key], `got ${JSON.stringify(value)}, expected a number of at least 0`);
    return fallback;
  }

  integer(key: string, fallback: number): number {
    const value = this.number(key, fallback);
    if (Number.isInteger(value) && value >= 1) return value;
    this.problem([key], `got ${value}, expected a whole number of at least 1`);
    return fallback;
  }

  boolean(key: string, fallback: boolean): boolean {
    const value = this.section[key] ?? fallback;
    if (typeof value === 'boolean') return value;
    this.problem([key], `got ${JSON.stringify(value)}, expected true or false`);
    return fallback;
  }

  strings(key: string, fallback: string[]): string[] {
    const value = this.section[key] ?? fallback;
    if (Array.isArray(value) && value.every((item) => typeof item === 'string'))
      return value as string[];
    this.problem([key], `got ${JSON.stringify(value)}, expected a list of strings`);
    return fallback;
  }

  stringMap(key: string): Record<string, string> {
    const value = this.section[key] ?? {};
    if (isSection(value) && Object.values(value).every((item) => typeof item === 'string'))
      return value as Record<string, string>;
    // The value may hold a token, so the message does not repeat it.
    this.problem([key], 'expected an object of header name: string value');
    return {};
  }

  matchers(key: string): Matcher[] {
    const value = this.section[key] ?? [];
    if (!Array.isArray(value)) {
      this.problem([key], 'expected a list of { name: regex, labels: { label: regex } }');
      return [];
    }
    value.forEach((matcher, index) => {
      const sources = isSection(matcher)
        ? [matcher.name, ...Object.values(isSection(matcher.labels) ? matcher.labels : {})]
        : [];
      for (const source of sources.filter((item) => item !== undefined)) {
        try {
          new RegExp(String(source));
        } catch (error) {
          this.problem(
            [key, index],
            `invalid regular expression ${JSON.stringify(source)}: ${(error as Error).message}`,
          );
        }
      }
    });
    return value as Matcher[];
  }

  mapping(target: 'events' | 'points'): Mapping {
    const { mapping, problems } = parseMapping(this.section.mapping, target);
    for (const problem of problems) this.problem(['mapping', ...problem.path], problem.message);
    return mapping ?? parseMapping(undefined, target).mapping!;
  }

  countOptions(): {
    series: string;
    textPath: string;
    keywords: string[];
    labels: Record<string, string>;
  } {
    const count = isSection(this.section.count) ? this.section.count : {};
    const nested = new Reader(this.parsed, [...this.path, 'count'], count, this.problems);
    return {
      series: nested.string('series', undefined, /^[A-Za-z_:][A-Za-z0-9_:]*$/) ?? '',
      textPath: nested.string('text_path', 'text')!,
      keywords: nested.strings('keywords', []),
      labels: nested.stringMap('labels'),
    };
  }
}

function isSection(value: unknown): value is Section {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
