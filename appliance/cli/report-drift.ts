import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import type { FeatureValue } from '../core/types.ts';
import {
  DEFAULT_LARGE_SAMPLE,
  DRIFT_TESTS,
  type DriftTest,
} from '../evaluators/drift/auto-choice.ts';
import type { EvaluationOutput } from '../evaluators/evaluator.ts';
import { CsvError, parseCsv, type CsvTable } from '../io/csv.ts';
import { cellValue, driftColumns } from './drift-columns.ts';
import { renderHtml } from './drift-html.ts';

/**
 * `vigil report drift`: compares two CSV files column by column. Exit codes: 0 no column
 * drifted, 1 at least one column drifted, 2 usage error, 3 an input file is unreadable or
 * invalid (the message names the file, line and reason).
 */

export const DRIFT_EXIT = { noDrift: 0, drift: 1, usage: 2, input: 3 } as const;

export const REPORT_DRIFT_HELP = `Usage: vigil report drift --reference A.csv --current B.csv [options]

Options:
  --columns a,b        columns to compare (default: every column in both files)
  --test NAME          auto (default), ks, psi, chi2, js, wasserstein, hellinger, ztest, ad, cvm
  --format FORMAT      table (default), json or html
  --output FILE        write the report to FILE instead of standard output
  --alpha P            p-value threshold of the tests with a p-value (default 0.05)
  --exact-max N        columns with more values than N on both sides run on sketches
                       (default 100000)

Exit codes: 0 no drift, 1 drift in at least one column, 2 usage error, 3 invalid input file.
`;

interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const FORMATS = ['table', 'json', 'html'] as const;
type Format = (typeof FORMATS)[number];

function readTable(path: string): CsvTable {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CsvError(path, 0, `cannot read the file (${(error as Error).message})`);
  }
  return parseCsv(text, path);
}

function columnsOf(table: CsvTable, names: readonly string[]): Map<string, FeatureValue[]> {
  const columns = new Map<string, FeatureValue[]>();
  for (const name of names) {
    const index = table.header.indexOf(name);
    columns.set(
      name,
      table.rows.map((row) => cellValue(row[index]!)),
    );
  }
  return columns;
}

function formatTable(outputs: readonly EvaluationOutput[]): string {
  const rows = [['column', 'test', 'statistic', 'p_value', 'threshold', 'drift', 'sample']];
  for (const output of outputs) {
    const number = (value: number | undefined) =>
      value === undefined || Number.isNaN(value) ? '-' : value.toPrecision(4);
    let drift = 'n/a';
    if (output.values.drift === 1) drift = 'yes';
    else if (output.values.drift === 0) drift = 'no';
    rows.push([
      output.labels.feature!,
      output.labels.test ?? '',
      number(output.values.value),
      number(output.values.p_value),
      number(output.values.threshold),
      drift,
      String(output.convention.sample ?? ''),
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return (
    rows
      .map((row) =>
        row
          .map((cell, i) => cell.padEnd(widths[i]!))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

function toJson(outputs: readonly EvaluationOutput[], reference: string, current: string): string {
  const columns = outputs.map((output) => ({
    column: output.labels.feature,
    test: output.labels.test,
    statistic: finite(output.values.value),
    p_value: output.values.p_value === undefined ? undefined : finite(output.values.p_value),
    threshold: output.values.threshold,
    drift: Number.isNaN(output.values.drift ?? NaN) ? null : output.values.drift === 1,
    convention: output.convention,
    ...(output.reason === undefined ? {} : { reason: output.reason }),
  }));
  const drift = outputs.some((output) => output.values.drift === 1);
  return JSON.stringify({ reference, current, drift, columns }, null, 2) + '\n';
}

function finite(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

/** Runs the command with its arguments after `report drift`; returns the exit code. */
export function runReportDrift(argv: string[], io: Io): number {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        reference: { type: 'string' },
        current: { type: 'string' },
        columns: { type: 'string' },
        test: { type: 'string', default: 'auto' },
        format: { type: 'string', default: 'table' },
        output: { type: 'string' },
        alpha: { type: 'string', default: '0.05' },
        'exact-max': { type: 'string', default: '100000' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    io.stderr(`report drift: ${(error as Error).message}\n${REPORT_DRIFT_HELP}`);
    return DRIFT_EXIT.usage;
  }
  if (values.help === true) {
    io.stdout(REPORT_DRIFT_HELP);
    return DRIFT_EXIT.noDrift;
  }

  const usage = usageProblem(values);
  if (usage !== undefined) {
    io.stderr(`report drift: ${usage}\n`);
    return DRIFT_EXIT.usage;
  }

  let referenceTable: CsvTable;
  let currentTable: CsvTable;
  try {
    referenceTable = readTable(values.reference!);
    currentTable = readTable(values.current!);
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    io.stderr(`report drift: ${error.message}\n`);
    return DRIFT_EXIT.input;
  }

  const requested = values.columns
    ?.split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const names =
    requested ?? referenceTable.header.filter((name) => currentTable.header.includes(name));
  for (const [path, table] of [
    [values.reference!, referenceTable],
    [values.current!, currentTable],
  ] as const) {
    const missing = names.filter((name) => !table.header.includes(name));
    if (missing.length > 0) {
      io.stderr(
        `report drift: ${path}:1: column ${missing.map((n) => JSON.stringify(n)).join(', ')} not found in the header\n`,
      );
      return DRIFT_EXIT.input;
    }
  }

  const reference = columnsOf(referenceTable, names);
  const current = columnsOf(currentTable, names);
  const outputs = driftColumns(names, reference, current, {
    test: values.test as DriftTest | 'auto',
    alpha: Number(values.alpha),
    thresholds: {},
    exactMax: Number(values['exact-max']),
    largeSample: DEFAULT_LARGE_SAMPLE,
  });

  const format = values.format as Format;
  const title = `Drift of ${values.current} against ${values.reference}`;
  const report =
    format === 'json'
      ? toJson(outputs, values.reference!, values.current!)
      : format === 'html'
        ? renderHtml(title, outputs, reference, current)
        : formatTable(outputs);
  if (values.output === undefined) io.stdout(report);
  else writeFileSync(values.output, report);
  return outputs.some((output) => output.values.drift === 1)
    ? DRIFT_EXIT.drift
    : DRIFT_EXIT.noDrift;
}

function usageProblem(values: Record<string, string | boolean | undefined>): string | undefined {
  if (values.reference === undefined) return '--reference is missing; give the reference CSV file';
  if (values.current === undefined) return '--current is missing; give the current CSV file';
  const test = String(values.test);
  if (test !== 'auto' && !DRIFT_TESTS.includes(test as DriftTest)) {
    return `--test is invalid (got ${JSON.stringify(test)}); use auto or one of ${DRIFT_TESTS.join(', ')}`;
  }
  if (!FORMATS.includes(values.format as Format)) {
    return `--format is invalid (got ${JSON.stringify(values.format)}); use table, json or html`;
  }
  const alpha = Number(values.alpha);
  if (!(alpha > 0 && alpha < 1))
    return `--alpha is invalid (got ${String(values.alpha)}); use a number in (0, 1)`;
  const exactMax = Number(values['exact-max']);
  if (!Number.isInteger(exactMax) || exactMax < 1) {
    return `--exact-max is invalid (got ${String(values['exact-max'])}); use a positive integer`;
  }
  return undefined;
}
