import { dirname, resolve } from 'node:path';

import type { Problem } from '../../config/config.ts';
import { parseDuration } from '../../config/duration.ts';
import {
  locate,
  locateInScalar,
  problemAt,
  type JsonPath,
  type ParsedYaml,
} from '../../config/yaml-document.ts';
import { readYamlFile } from '../../config/yaml-pipeline.ts';
import { DEFAULT_REPEAT_INTERVAL_MS } from '../../alerting/notifier.ts';
import { formatSeries, parseSeries, parseValues, type SampleValue } from './notation.ts';
import type {
  AlertTest,
  ExpectedAlert,
  InputOutputs,
  InputSeries,
  NotificationSummary,
  ReceiverExpectation,
  RuleTest,
  RuleTestFile,
} from './test-model.ts';

/**
 * Loads a rule test file through the YAML pipeline and checks it by hand, reporting every
 * problem as `file:line:column: path: message`, bad notation at the column of the item.
 */

const DEFAULT_INTERVAL_MS = 60_000;
const states = new Set(['pending', 'firing', 'resolved']);

/** Collects problems while reading one parsed file. */
class Reader {
  readonly problems: Problem[] = [];
  constructor(readonly parsed: ParsedYaml) {}

  fail(path: JsonPath, message: string): undefined {
    this.problems.push(problemAt(this.parsed, path, message));
    return undefined;
  }

  line(path: JsonPath): number {
    return locate(this.parsed, path).line;
  }

  /** Reads a mapping; with `keys`, any other key is reported as unknown. */
  object(value: unknown, path: JsonPath, keys?: string[]): Record<string, unknown> | undefined {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      const expected = keys === undefined ? '' : ` with keys ${keys.join(', ')}`;
      return this.fail(path, `expected a mapping${expected}`);
    }
    for (const key of Object.keys(value)) {
      if (keys !== undefined && !keys.includes(key)) {
        this.problems.push(
          problemAt(
            this.parsed,
            [...path, key],
            `unknown key "${key}"; expected one of ${keys.join(', ')}`,
            'error',
            true,
          ),
        );
      }
    }
    return value as Record<string, unknown>;
  }

  list(value: unknown, path: JsonPath): unknown[] {
    if (value === undefined) return [];
    if (Array.isArray(value)) return value;
    this.fail(path, 'expected a list');
    return [];
  }

  string(value: unknown, path: JsonPath, what: string): string | undefined {
    if (typeof value === 'string' && value !== '') return value;
    return this.fail(
      path,
      `missing or invalid ${what}: expected a text, got ${JSON.stringify(value)}`,
    );
  }

  duration(value: unknown, path: JsonPath, fallback?: number): number | undefined {
    if (value === undefined && fallback !== undefined) return fallback;
    const ms = typeof value === 'string' ? parseDuration(value) : undefined;
    if (ms !== undefined) return ms;
    return this.fail(
      path,
      `invalid duration ${JSON.stringify(value)}: expected a duration such as 5m or 1h30m`,
    );
  }

  labels(value: unknown, path: JsonPath): Record<string, string> {
    if (value === undefined) return {};
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.fail(path, 'expected a mapping of label names to values');
      return {};
    }
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, String(item)]));
  }

  values(value: unknown, path: JsonPath): SampleValue[] | undefined {
    const text = typeof value === 'number' ? String(value) : value;
    if (typeof text !== 'string')
      return this.fail(path, 'expected values such as "1+2x10 _ stale"');
    const result = parseValues(text);
    if (result.ok) return result.values;
    const at = locateInScalar(this.parsed, path, result.column);
    this.problems.push({ ...problemAt(this.parsed, path, result.message), ...at });
    return undefined;
  }

  series(
    value: unknown,
    path: JsonPath,
  ): { name: string; labels: Record<string, string> } | undefined {
    if (typeof value !== 'string')
      return this.fail(path, 'expected a series such as up{job="api"}');
    const result = parseSeries(value);
    if (result.ok) return result.series;
    const at = locateInScalar(this.parsed, path, result.column);
    this.problems.push({ ...problemAt(this.parsed, path, result.message), ...at });
    return undefined;
  }
}

/** Reads and checks a test file; `file` is undefined when it has errors. */
export function loadTestFile(path: string): { file?: RuleTestFile; problems: Problem[] } {
  const { yaml, problems } = readYamlFile(path, undefined);
  if (yaml === undefined || problems.some((problem) => problem.severity === 'error')) {
    return { problems };
  }

  const reader = new Reader(yaml.parsed);
  const top = reader.object(yaml.value, [], ['rule_files', 'evaluation_interval', 'tests']);
  if (top === undefined) return { problems: reader.problems };

  const ruleFiles = reader.list(top.rule_files, ['rule_files']).flatMap((item, index) => {
    const name = reader.string(item, ['rule_files', index], 'rule file');
    return name === undefined ? [] : [resolve(dirname(path), name)];
  });
  if (ruleFiles.length === 0 && top.rule_files === undefined) {
    reader.fail([], 'missing rule_files; list the rule files the tests evaluate');
  }
  const evaluationIntervalMs =
    reader.duration(top.evaluation_interval, ['evaluation_interval'], DEFAULT_INTERVAL_MS) ??
    DEFAULT_INTERVAL_MS;
  const tests = reader
    .list(top.tests, ['tests'])
    .flatMap((item, index) => readTest(reader, item, ['tests', index], evaluationIntervalMs) ?? []);

  const file = { file: path, ruleFiles, evaluationIntervalMs, tests };
  const failed = reader.problems.length > 0;
  return failed ? { problems: reader.problems } : { file, problems: [] };
}

function readTest(
  reader: Reader,
  raw: unknown,
  path: JsonPath,
  defaultMs: number,
): RuleTest | undefined {
  const keys = [
    'name',
    'interval',
    'repeat_interval',
    'input_series',
    'input_outputs',
    'alert_rule_test',
    'notifications',
  ];
  const test = reader.object(raw, path, keys);
  if (test === undefined) return undefined;

  const index = path[path.length - 1] as number;
  const name = typeof test.name === 'string' ? test.name : `#${index + 1}`;
  const each = <T>(key: string, read: (item: unknown, at: JsonPath) => T | undefined): T[] =>
    reader
      .list(test[key], [...path, key])
      .flatMap((item, i) => read(item, [...path, key, i]) ?? []);

  return {
    name,
    line: reader.line(path),
    intervalMs: reader.duration(test.interval, [...path, 'interval'], defaultMs) ?? defaultMs,
    repeatIntervalMs:
      reader.duration(
        test.repeat_interval,
        [...path, 'repeat_interval'],
        DEFAULT_REPEAT_INTERVAL_MS,
      ) ?? DEFAULT_REPEAT_INTERVAL_MS,
    inputSeries: each('input_series', (item, at) => readSeries(reader, item, at)),
    inputOutputs: each('input_outputs', (item, at) => readOutputs(reader, item, at)),
    alertTests: each('alert_rule_test', (item, at) => readAlertTest(reader, item, at)),
    notifications: each('notifications', (item, at) => readReceiver(reader, item, at)),
  };
}

function readSeries(reader: Reader, raw: unknown, path: JsonPath): InputSeries | undefined {
  const item = reader.object(raw, path, ['series', 'values']);
  if (item === undefined) return undefined;
  const series = reader.series(item.series, [...path, 'series']);
  const values = reader.values(item.values, [...path, 'values']);
  if (series === undefined || values === undefined) return undefined;
  return { ...series, values, line: reader.line(path) };
}

function readOutputs(reader: Reader, raw: unknown, path: JsonPath): InputOutputs | undefined {
  const item = reader.object(raw, path, ['rule', 'labels', 'values', 'fields']);
  if (item === undefined) return undefined;
  const rule = reader.string(item.rule, [...path, 'rule'], 'rule name');
  const value = reader.values(item.values, [...path, 'values']);
  const fields: Record<string, SampleValue[]> = {};
  const extra = item.fields === undefined ? {} : reader.object(item.fields, [...path, 'fields']);
  for (const [field, text] of Object.entries(extra ?? {})) {
    const parsed = reader.values(text, [...path, 'fields', field]);
    if (parsed !== undefined) fields[field] = parsed;
  }
  if (rule === undefined || value === undefined) return undefined;
  const labels = reader.labels(item.labels, [...path, 'labels']);
  return { rule, labels, fields: { ...fields, value }, line: reader.line(path) };
}

function readAlertTest(reader: Reader, raw: unknown, path: JsonPath): AlertTest | undefined {
  const item = reader.object(raw, path, ['eval_time', 'alertname', 'exp_alerts']);
  if (item === undefined) return undefined;
  const evalTimeMs = reader.duration(item.eval_time, [...path, 'eval_time']);
  const alertname = reader.string(item.alertname, [...path, 'alertname'], 'alertname');
  const expected = reader
    .list(item.exp_alerts, [...path, 'exp_alerts'])
    .flatMap((alert, i) => readExpectedAlert(reader, alert, [...path, 'exp_alerts', i]) ?? []);
  if (evalTimeMs === undefined || alertname === undefined) return undefined;
  return { evalTimeMs, alertname, expected, line: reader.line(path) };
}

function readExpectedAlert(
  reader: Reader,
  raw: unknown,
  path: JsonPath,
): ExpectedAlert | undefined {
  const item = reader.object(raw, path, ['exp_state', 'exp_labels', 'exp_annotations']);
  if (item === undefined) return undefined;
  const state = item.exp_state ?? 'firing';
  if (typeof state !== 'string' || !states.has(state)) {
    return reader.fail(
      [...path, 'exp_state'],
      `invalid exp_state ${JSON.stringify(state)}: expected pending, firing or resolved`,
    );
  }
  const labels = reader.labels(item.exp_labels, [...path, 'exp_labels']);
  // `alertname` comes from the test case, so exp_labels need not repeat it.
  delete labels.alertname;
  const alert: ExpectedAlert = { state: state as ExpectedAlert['state'], labels };
  if (item.exp_annotations !== undefined) {
    alert.annotations = reader.labels(item.exp_annotations, [...path, 'exp_annotations']);
  }
  return alert;
}

function readReceiver(
  reader: Reader,
  raw: unknown,
  path: JsonPath,
): ReceiverExpectation | undefined {
  const item = reader.object(raw, path, ['receiver', 'expected']);
  if (item === undefined) return undefined;
  const receiver = reader.string(item.receiver, [...path, 'receiver'], 'receiver name');
  const expected = reader
    .list(item.expected, [...path, 'expected'])
    .flatMap((sent, i) => readNotification(reader, sent, [...path, 'expected', i]) ?? []);
  if (receiver === undefined) return undefined;
  return { receiver, expected, line: reader.line(path) };
}

function readNotification(
  reader: Reader,
  raw: unknown,
  path: JsonPath,
): NotificationSummary | undefined {
  const item = reader.object(raw, path, ['at', 'firing', 'resolved']);
  if (item === undefined) return undefined;
  const atMs = reader.duration(item.at, [...path, 'at']);
  const alerts = (key: 'firing' | 'resolved'): string[] =>
    reader.list(item[key], [...path, key]).flatMap((text, i) => {
      const series = reader.series(text, [...path, key, i]);
      return series === undefined ? [] : [formatSeries(series.name, series.labels)];
    });
  const firing = alerts('firing').sort();
  const resolved = alerts('resolved').sort();
  if (atMs === undefined) return undefined;
  return { atMs, firing, resolved };
}
