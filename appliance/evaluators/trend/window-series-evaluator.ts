import { durationExample, parseDuration } from '../../config/duration.ts';
import type {
  EvaluationContext,
  EvaluationOutput,
  EvaluatorFactory,
  EvaluatorInputs,
  EvaluatorInstance,
  OutputSpec,
} from '../evaluator.ts';

/**
 * Evaluators that fit each series (labelset) afresh on the points of the rule window
 * [time - window, time), keeping no state between evaluations: forecasts and trend tests.
 */
export interface WindowSeriesSpec<Params> {
  name: string;
  description: string;
  paramsSchema: Record<string, unknown>;
  outputs: Record<string, OutputSpec>;
  parse(params: Record<string, unknown>): Params;
  /** Computes the outputs of one series; `time` is the evaluation time in epoch ms. */
  compute(
    times: readonly number[],
    values: readonly number[],
    time: number,
    params: Params,
  ): Pick<EvaluationOutput, 'values' | 'convention' | 'reason'>;
}

export function windowSeriesEvaluator<Params>(spec: WindowSeriesSpec<Params>): EvaluatorFactory {
  return {
    name: spec.name,
    description: spec.description,
    input: 'series',
    needsReference: false,
    paramsSchema: spec.paramsSchema,
    outputs: spec.outputs,
    outputLabels: [],
    create(inputs: EvaluatorInputs): EvaluatorInstance {
      const series = inputs.series;
      if (series === undefined) {
        throw new Error(
          `${spec.name}: inputs.series is missing; set it to a series selector ` +
            'with a name and label matchers',
        );
      }
      const params = spec.parse(inputs.params);
      return {
        evaluate(context: EvaluationContext): EvaluationOutput[] {
          const samples = context.data.points(series.name, series.matchers, context.window);
          return samples.map((sample) => {
            const { times, values } = finitePoints(sample.timestamps, sample.values);
            return { labels: sample.labels, ...spec.compute(times, values, context.time, params) };
          });
        },
      };
    },
  };
}

/** Drops NaN and infinite values with their times. */
function finitePoints(timestamps: ArrayLike<number>, rawValues: ArrayLike<number>) {
  const times: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < rawValues.length; i += 1) {
    if (!Number.isFinite(rawValues[i]!)) continue;
    times.push(timestamps[i]!);
    values.push(rawValues[i]!);
  }
  return { times, values };
}

/** Reads a duration parameter (`4h`, or milliseconds); throws naming the parameter. */
export function durationParam(
  evaluator: string,
  params: Record<string, unknown>,
  name: string,
  fallback: number | undefined,
): number {
  const raw = params[name] ?? fallback;
  const ms = typeof raw === 'string' ? parseDuration(raw) : raw;
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0) {
    throw new Error(
      `${evaluator}: params.${name} is ${raw === undefined ? 'missing' : `invalid (got ${JSON.stringify(raw)})`}; ` +
        `use ${durationExample}, or milliseconds`,
    );
  }
  return ms;
}

/** Reads a number parameter in [min, max]; throws naming the parameter. */
export function numberParam(
  evaluator: string,
  params: Record<string, unknown>,
  name: string,
  fallback: number | undefined,
  min: number,
  max: number,
): number {
  const raw = params[name] ?? fallback;
  if (typeof raw !== 'number' || !Number.isFinite(raw) || raw < min || raw > max) {
    throw new Error(
      `${evaluator}: params.${name} is ${raw === undefined ? 'missing' : `invalid (got ${JSON.stringify(raw)})`}; ` +
        `use a number from ${min} to ${max}`,
    );
  }
  return raw;
}

/** Median spacing of consecutive distinct times, ms; NaN with fewer than two. */
export function medianStep(times: readonly number[]): number {
  const steps: number[] = [];
  for (let i = 1; i < times.length; i += 1) {
    const step = times[i]! - times[i - 1]!;
    if (step > 0) steps.push(step);
  }
  if (steps.length === 0) return NaN;
  steps.sort((a, b) => a - b);
  const half = steps.length >> 1;
  return steps.length % 2 === 1 ? steps[half]! : (steps[half - 1]! + steps[half]!) / 2;
}

export const durationSchema = { type: ['number', 'string'], description: durationExample };
