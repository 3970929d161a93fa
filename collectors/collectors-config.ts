import { resolve } from 'node:path';

import type { Problem } from '../appliance/config/config.ts';
import { problemAt, type ParsedYaml } from '../appliance/config/yaml-document.ts';
import { isSection, Reader, type Matcher } from './config-reader.ts';
import { kafkaSpecFrom, type KafkaSpec } from './kafka-config.ts';
import type { Mapping } from './mapping.ts';

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
  | { kind: 'host'; name: string; intervalMs: number; paths: string[] }
  | KafkaSpec;

const kinds = ['file', 'replay', 'prometheus', 'http_poll', 'host', 'kafka'] as const;

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
  } else if (kind === 'kafka') {
    spec = kafkaSpecFrom(reader, name, base);
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
