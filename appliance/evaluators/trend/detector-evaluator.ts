import type { SeriesSamples } from '../../store/store.ts';
import type { AnomalyDetector } from '../../trend/detectors/detector.ts';
import type {
  EvaluationContext,
  EvaluationOutput,
  EvaluatorFactory,
  EvaluatorInputs,
  EvaluatorInstance,
  OutputSpec,
} from '../evaluator.ts';
import { optionsFromParams, paramsSchemaFor } from './detector-params.ts';

/**
 * Runs one streaming detector per series (labelset) of a rule. Each evaluation feeds the points
 * stored since the previous evaluation, in time order, and outputs per series the latest score
 * as `value`, the largest score among the new points as `max_score`, and the detector's own
 * numbers. While a detector warms up, `value` is NaN and `reason` gives its progress.
 */
export interface DetectorEvaluatorSpec {
  name: string;
  description: string;
  defaults: object;
  create(options: Record<string, unknown>): AnomalyDetector;
  /** Detector numbers to output beside the score, read after each point. */
  extras: Record<string, { read(detector: AnomalyDetector): number } & OutputSpec>;
  /** Milliseconds of history read at the first evaluation, to warm the detector up. */
  historyMs(options: Record<string, unknown>): number;
}

const MAX_SERIES_DEFAULT = 1000;
/** A series without points for this long is dropped with its state. */
const IDLE_MS = 7 * 86_400_000;

interface SeriesState {
  labels: Record<string, string>;
  detector: AnomalyDetector;
  lastTimestamp: number;
  lastScore: number;
}

function labelKey(labels: Record<string, string>): string {
  const names = Object.keys(labels).sort();
  return JSON.stringify(names.map((name) => [name, labels[name]]));
}

class DetectorEvaluator implements EvaluatorInstance {
  private readonly states = new Map<string, SeriesState>();
  private previousTime: number | undefined;

  constructor(
    private readonly spec: DetectorEvaluatorSpec,
    private readonly series: { name: string; matchers: Record<string, string> },
    private readonly options: Record<string, unknown>,
    private readonly maxSeries: number,
  ) {}

  evaluate(context: EvaluationContext): EvaluationOutput[] {
    // NOTE: a point stored after an evaluation already passed its timestamp is never scored,
    // because each evaluation reads only [previous evaluation time, evaluation time).
    const from = this.previousTime ?? context.time - this.spec.historyMs(this.options);
    this.previousTime = Math.max(from, context.time);
    const samples =
      context.time > from
        ? context.data.points(this.series.name, this.series.matchers, { from, to: context.time })
        : [];

    const outputs: EvaluationOutput[] = [];
    const updated = new Set<string>();
    for (const sample of samples) {
      const key = labelKey(sample.labels);
      updated.add(key);
      outputs.push(this.updateSeries(key, sample));
    }

    for (const [key, state] of this.states) {
      if (updated.has(key)) continue;
      if (state.lastTimestamp <= context.time - IDLE_MS) this.states.delete(key);
      else outputs.push(this.outputOf(state, NaN, 0));
    }
    return outputs;
  }

  private updateSeries(key: string, sample: SeriesSamples): EvaluationOutput {
    let state = this.states.get(key);
    if (state === undefined) {
      if (this.states.size >= this.maxSeries) return this.overLimit(sample.labels);
      state = {
        labels: { ...sample.labels },
        detector: this.spec.create(this.options),
        lastTimestamp: -Infinity,
        lastScore: NaN,
      };
      this.states.set(key, state);
    }

    let maxScore = NaN;
    let newPoints = 0;
    for (let i = 0; i < sample.timestamps.length; i += 1) {
      const time = sample.timestamps[i]!;
      if (time <= state.lastTimestamp) continue;
      const score = state.detector.update(time, sample.values[i]!);
      if (!(score <= maxScore)) maxScore = score;
      state.lastTimestamp = time;
      state.lastScore = score;
      newPoints += 1;
    }
    return this.outputOf(state, maxScore, newPoints);
  }

  private outputOf(state: SeriesState, maxScore: number, newPoints: number): EvaluationOutput {
    const values: EvaluationOutput['values'] = {
      value: state.lastScore,
      max_score: maxScore,
      new_points: newPoints,
    };
    for (const [name, extra] of Object.entries(this.spec.extras)) {
      values[name] = extra.read(state.detector);
    }
    const output: EvaluationOutput = {
      labels: state.labels,
      values,
      convention: { detector: this.spec.name, state_bytes: state.detector.stateBytes() },
    };
    const status = state.detector.status();
    if (Number.isNaN(state.lastScore) && status !== undefined) output.reason = status;
    else if (newPoints === 0) {
      output.reason = 'no new points since the previous evaluation; value is from the latest point';
    }
    return output;
  }

  private overLimit(labels: Record<string, string>): EvaluationOutput {
    return {
      labels: { ...labels },
      values: { value: NaN, max_score: NaN, new_points: 0 },
      convention: { max_series: this.maxSeries },
      reason:
        `series not tracked: the rule already tracks ${this.maxSeries} series; ` +
        'raise params.max_series or narrow the selector',
    };
  }
}

/** Builds the evaluator plug-in of a detector. */
export function detectorEvaluator(spec: DetectorEvaluatorSpec): EvaluatorFactory {
  const outputs: Record<string, OutputSpec> = {
    value: { metric: 'vigil_anomaly_score', help: `${spec.name} score of the latest point` },
    max_score: {
      metric: 'vigil_anomaly_max_score',
      help: 'Largest anomaly score among the points since the previous evaluation',
    },
    new_points: { metric: 'vigil_anomaly_new_points', help: 'Points scored in this evaluation' },
  };
  for (const [name, extra] of Object.entries(spec.extras)) {
    outputs[name] = { metric: extra.metric, help: extra.help };
  }

  return {
    name: spec.name,
    description: spec.description,
    input: 'series',
    needsReference: false,
    paramsSchema: paramsSchemaFor(spec.defaults, {
      max_series: { type: 'integer', minimum: 1, description: 'Series tracked per rule' },
    }),
    outputs,
    outputLabels: [],
    create(inputs: EvaluatorInputs) {
      if (inputs.series === undefined) {
        throw new Error(
          `${spec.name}: inputs.series is missing; set it to a series selector ` +
            'with a name and label matchers',
        );
      }
      const options = optionsFromParams(spec.name, spec.defaults, inputs.params);
      spec.create(options); // Validates the options once, so a bad rule fails when it loads.
      const maxSeries = inputs.params.max_series ?? MAX_SERIES_DEFAULT;
      if (typeof maxSeries !== 'number' || !Number.isInteger(maxSeries) || maxSeries < 1) {
        throw new Error(
          `${spec.name}: params.max_series is invalid (got ${JSON.stringify(maxSeries)}); ` +
            'use a whole number of at least 1',
        );
      }
      return new DetectorEvaluator(spec, inputs.series, options, maxSeries);
    },
  };
}
