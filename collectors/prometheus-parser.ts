/**
 * Parses the Prometheus text exposition format 0.0.4 and OpenMetrics 1.0 text into samples
 * grouped by family. Both formats share the sample line `name{label="value",...} value
 * [timestamp]`. OpenMetrics adds `# EOF`, `# UNIT`, exemplars after ` # ` and counters
 * whose family name drops the `_total` suffix. Timestamps are returned in milliseconds.
 */

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped' | 'unknown';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
  timestampMs?: number;
}

export interface MetricFamily {
  name: string;
  type: MetricType;
  samples: Sample[];
}

export class ExpositionError extends Error {
  override readonly name = 'ExpositionError';
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

const SAMPLE_NAME = /^[A-Za-z_:][A-Za-z0-9_:]*/;
const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
const suffixes: Record<string, readonly string[]> = {
  counter: ['_total', '_created'],
  histogram: ['_bucket', '_sum', '_count', '_created'],
  summary: ['_sum', '_count', '_created'],
};

/** Parses a whole scrape body; throws `ExpositionError` naming the first invalid line. */
export function parseExposition(text: string, openMetrics: boolean): MetricFamily[] {
  const families = new Map<string, MetricFamily>();
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!.replace(/\r$/, '');
    if (line.trim() === '') continue;
    if (line.startsWith('#')) {
      if (line === '# EOF') break;
      readComment(line, families);
      continue;
    }
    const sample = parseSample(line, index + 1, openMetrics);
    familyOf(sample.name, families).samples.push(sample);
  }
  return [...families.values()].filter((family) => family.samples.length > 0);
}

function readComment(line: string, families: Map<string, MetricFamily>): void {
  const match = /^# TYPE ([A-Za-z_:][A-Za-z0-9_:]*) (\w+)\s*$/.exec(line);
  if (match === null) return;
  const type = (['counter', 'gauge', 'histogram', 'summary', 'untyped', 'unknown'] as const).find(
    (known) => known === match[2],
  );
  const existing = families.get(match[1]!);
  if (existing !== undefined) existing.type = type ?? 'untyped';
  else families.set(match[1]!, { name: match[1]!, type: type ?? 'untyped', samples: [] });
}

/** Finds the declared family a sample belongs to, by its name or by a typed suffix. */
function familyOf(name: string, families: Map<string, MetricFamily>): MetricFamily {
  const exact = families.get(name);
  if (exact !== undefined && exact.type !== 'counter') return exact;
  for (const [type, endings] of Object.entries(suffixes)) {
    for (const ending of endings) {
      if (!name.endsWith(ending)) continue;
      const family = families.get(name.slice(0, -ending.length));
      if (family !== undefined && family.type === type) return family;
    }
  }
  if (exact !== undefined) return exact;
  const created: MetricFamily = { name, type: 'untyped', samples: [] };
  families.set(name, created);
  return created;
}

function parseSample(line: string, lineNumber: number, openMetrics: boolean): Sample {
  const nameMatch = SAMPLE_NAME.exec(line);
  if (nameMatch === null)
    throw new ExpositionError(
      lineNumber,
      `invalid metric name in ${JSON.stringify(line.slice(0, 40))}`,
    );
  const name = nameMatch[0];
  let rest = line.slice(name.length);
  let labels: Record<string, string> = {};
  if (rest.startsWith('{')) {
    const parsed = parseLabels(rest, lineNumber);
    labels = parsed.labels;
    rest = rest.slice(parsed.length);
  }

  const exemplar = openMetrics ? rest.indexOf(' # ') : -1;
  if (exemplar >= 0) rest = rest.slice(0, exemplar);
  const parts = rest.trim().split(/[ \t]+/);
  if (parts.length < 1 || parts.length > 2 || parts[0] === '') {
    throw new ExpositionError(
      lineNumber,
      `expected "value [timestamp]" after ${name}, got ${JSON.stringify(rest.trim())}`,
    );
  }
  const value = parseValue(parts[0]!, lineNumber);
  const sample: Sample = { name, labels, value };
  if (parts[1] !== undefined) {
    const timestamp = Number(parts[1]);
    if (!Number.isFinite(timestamp))
      throw new ExpositionError(lineNumber, `invalid timestamp ${JSON.stringify(parts[1])}`);
    sample.timestampMs = openMetrics ? timestamp * 1000 : timestamp;
  }
  return sample;
}

function parseValue(text: string, lineNumber: number): number {
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  const value = Number(text);
  if (Number.isNaN(value) || text === '')
    throw new ExpositionError(lineNumber, `invalid sample value ${JSON.stringify(text)}`);
  return value;
}

/** Parses `{a="x",b="y"}` at the start of `text`; returns the labels and the characters read. */
function parseLabels(
  text: string,
  lineNumber: number,
): { labels: Record<string, string>; length: number } {
  const labels: Record<string, string> = Object.create(null);
  let i = 1;
  for (;;) {
    while (text[i] === ' ' || text[i] === ',') i += 1;
    if (text[i] === '}') return { labels, length: i + 1 };
    const nameMatch = LABEL_NAME.exec(text.slice(i));
    if (
      nameMatch === null ||
      text[i + nameMatch[0].length] !== '=' ||
      text[i + nameMatch[0].length + 1] !== '"'
    ) {
      throw new ExpositionError(
        lineNumber,
        `invalid label at column ${i + 1}; expected name="value"`,
      );
    }
    i += nameMatch[0].length + 2;
    let value = '';
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') {
        const escaped = text[i + 1];
        value += escaped === 'n' ? '\n' : (escaped ?? '');
        i += 2;
      } else {
        value += text[i];
        i += 1;
      }
    }
    if (i >= text.length)
      throw new ExpositionError(
        lineNumber,
        'unterminated label value; close it with a double quote',
      );
    labels[nameMatch[0]] = value;
    i += 1;
  }
}
