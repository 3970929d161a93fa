import { RE2JS } from 're2js';

import type { Problem } from '../appliance/config/config.ts';
import { parseDuration } from '../appliance/config/duration.ts';
import { problemAt, type JsonPath, type ParsedYaml } from '../appliance/config/yaml-document.ts';
import { parseMapping, type Mapping } from './mapping.ts';

export type Matcher = { name?: string; labels?: Record<string, string> };
type Section = Record<string, unknown>;

/** Reads typed keys of one entry and records a problem at the key for each bad value. */
export class Reader {
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

  /** Reads a string that may be a secret, such as a password; messages never repeat it. */
  secret(key: string): string | undefined {
    const value = this.section[key];
    if (typeof value === 'string' && value !== '') return value;
    if (value === undefined) {
      this.problem([], `missing ${key}; add it, for example ${key}: "\${ENV_NAME}"`);
    } else {
      this.problem([key], 'expected a non-empty string (value not shown); quote the value');
    }
    return undefined;
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
          RE2JS.compile(String(source));
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

export function isSection(value: unknown): value is Section {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
