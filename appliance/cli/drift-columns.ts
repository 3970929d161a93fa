import type { FeatureValue, PredictionEvent, TimeRange } from '../core/types.ts';
import type { EvaluationOutput } from '../evaluators/evaluator.ts';
import { chooseTest, type DriftTest } from '../evaluators/drift/auto-choice.ts';
import { flagDrift, type DecisionOptions } from '../evaluators/drift/decision.ts';
import { createFlaggedDrift } from '../evaluators/drift/flagged-drift.ts';
import { driftOutput } from '../evaluators/features.ts';
import { ColumnProfile } from '../sketch/column-profile.ts';
import { sketchDrift, SKETCH_TESTS, type SketchTest } from '../sketch/sketch-drift.ts';
import { isCategorical, splitColumn } from '../stats/samples.ts';
import type { WindowReader } from '../window/window-reader.ts';

/**
 * Drift of the columns of two tables, for `vigil report drift`. A column whose smaller side
 * has at most `exactMax` values runs the exact test through the same evaluators the rule
 * engine uses. A larger one runs on sketches when its test has a sketch form, and exactly
 * otherwise. `convention.sample` records which.
 */

export interface ColumnDriftOptions extends DecisionOptions {
  test: DriftTest | 'auto';
  exactMax: number;
  largeSample: number;
}

const REFERENCE: TimeRange = { from: 0, to: 1 };
const CURRENT: TimeRange = { from: 1, to: 2 };

/** Converts a cell to a feature value: empty is missing, a number literal a number, else a string. */
export function cellValue(cell: string): FeatureValue {
  const trimmed = cell.trim();
  if (trimmed === '') return null;
  const number = Number(trimmed);
  return Number.isNaN(number) ? cell : number;
}

function toEvents(columns: Map<string, FeatureValue[]>, timestamp: number): PredictionEvent[] {
  const length = Math.max(0, ...[...columns.values()].map((values) => values.length));
  return Array.from({ length }, (_, i) => {
    const features = Object.create(null) as Record<string, FeatureValue>;
    for (const [name, values] of columns) features[name] = values[i] ?? null;
    return {
      stream: 'csv',
      version: '',
      id: `${timestamp}-${i}`,
      timestamp,
      features,
      prediction: null,
      actual: null,
      latencyMs: null,
      error: false,
    };
  });
}

function exactDrift(
  names: string[],
  reference: Map<string, FeatureValue[]>,
  current: Map<string, FeatureValue[]>,
  options: ColumnDriftOptions,
): EvaluationOutput[] {
  if (names.length === 0) return [];
  const events = [...toEvents(reference, REFERENCE.from), ...toEvents(current, CURRENT.from)];
  const reader: WindowReader = {
    events: (_stream, range) =>
      events.filter((event) => event.timestamp >= range.from && event.timestamp < range.to),
    points: () => [],
  };
  const inputs = {
    stream: 'csv',
    features: names,
    windowMs: 1,
    reference: { range: REFERENCE },
    params: {},
  };
  // The split into exact and sketched columns is made above, so the evaluators stay exact here.
  const exact = { ...options, correction: 'none' as const, exactMax: Infinity };
  const flagged = createFlaggedDrift('csv', inputs, exact);
  const outputs = flagged({ time: CURRENT.to, window: CURRENT, data: reader });
  return outputs.map((output) => ({
    ...output,
    convention: { ...output.convention, sample: 'exact' },
  }));
}

function sketchColumn(
  name: string,
  reference: FeatureValue[],
  current: FeatureValue[],
  test: SketchTest,
  options: ColumnDriftOptions,
  rule: string,
): EvaluationOutput {
  const pair = { feature: name, reference: splitColumn(reference), current: splitColumn(current) };
  const categorical = isCategorical(pair.reference, pair.current);
  const result = sketchDrift(
    test,
    ColumnProfile.fromSample(pair.reference),
    ColumnProfile.fromSample(pair.current),
    categorical,
  );
  const values: Record<string, number> & { value: number } = {
    value: result.statistic,
    statistic: result.statistic,
  };
  if (result.pValue !== undefined) values.p_value = result.pValue;
  const convention = {
    test,
    sample: 'sketch',
    chosen_test: test,
    choice_rule: rule,
    ...result.details,
  };
  const output = driftOutput(pair, values, convention);
  return flagDrift(test, { ...output, labels: { feature: name, test } }, options);
}

/** Runs drift on every named column and returns the outputs in column order. */
export function driftColumns(
  names: readonly string[],
  reference: Map<string, FeatureValue[]>,
  current: Map<string, FeatureValue[]>,
  options: ColumnDriftOptions,
): EvaluationOutput[] {
  const exact: string[] = [];
  const sketched = new Map<string, EvaluationOutput>();
  for (const name of names) {
    const pair = {
      feature: name,
      reference: splitColumn(reference.get(name)!),
      current: splitColumn(current.get(name)!),
    };
    const size = Math.min(
      pair.reference.numbers.length + pair.reference.categories.length,
      pair.current.numbers.length + pair.current.categories.length,
    );
    const choice =
      options.test === 'auto'
        ? chooseTest(pair, options.largeSample)
        : { test: options.test, rule: 'fixed by --test' };
    if (size > options.exactMax && SKETCH_TESTS.includes(choice.test as SketchTest)) {
      const output = sketchColumn(
        name,
        reference.get(name)!,
        current.get(name)!,
        choice.test as SketchTest,
        options,
        choice.rule,
      );
      sketched.set(name, output);
    } else {
      exact.push(name);
    }
  }

  const exactOutputs = exactDrift(exact, reference, current, options);
  const byName = new Map(exactOutputs.map((output) => [output.labels.feature!, output]));
  return names.map((name) => sketched.get(name) ?? byName.get(name)!);
}
