import type { SeriesSamples } from '../../store/store.ts';
import { normalTwoSidedTail } from '../../stats/robust.ts';
import type {
  EvaluationContext,
  EvaluationOutput,
  EvaluatorFactory,
  EvaluatorInputs,
  EvaluatorInstance,
} from '../evaluator.ts';
import { RollingRobustWindow } from './rolling-robust-window.ts';
import { durationExample, parseDuration } from '../../config/duration.ts';

/**
 * Streaming robust z-score anomaly detector for series. Per series (labelset) it keeps the
 * points of the last `window` ms, at most `max_points` of them, and scores each new point
 * against that window before adding it, so a spike is not part of its own baseline:
 *   z = (x - median) / (1.4826 · MAD), score = 1 - 2 · (1 - Φ(|z|)) = 1 - two-sided p-value.
 * A score of 0.99 means a point as far from the median as this one has a 1% chance under a
 * normal model of the window. With fewer than `min_points` points in the window the score is
 * NaN with the reason "warming up". Non-finite values are skipped.
 */

interface DetectorParams {
  windowMs: number;
  maxPoints: number;
  minPoints: number;
  scaleFloor: number;
  maxSeries: number;
}

const DEFAULTS: DetectorParams = {
  windowMs: 86_400_000,
  maxPoints: 1440,
  minPoints: 30,
  scaleFloor: 1e-9,
  maxSeries: 1000,
};

interface SeriesState {
  labels: Record<string, string>;
  window: RollingRobustWindow;
  lastTimestamp: number;
  lastScore: number;
  lastZ: number;
}

function positiveInteger(name: string, params: Record<string, unknown>, fallback: number) {
  const value = params[name] ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new Error(
      `anomaly.robust_zscore: params.${name} is invalid (got ${JSON.stringify(value)}); ` +
        'use a whole number of at least 1',
    );
  }
  return value;
}

function parseParams(params: Record<string, unknown>): DetectorParams {
  const scaleFloor = params.scale_floor ?? DEFAULTS.scaleFloor;
  if (typeof scaleFloor !== 'number' || !(scaleFloor > 0) || !Number.isFinite(scaleFloor)) {
    throw new Error(
      `anomaly.robust_zscore: params.scale_floor is invalid (got ${JSON.stringify(scaleFloor)}); ` +
        'use a positive number in the unit of the series, such as 1e-9',
    );
  }
  return {
    windowMs: durationParam('window', params, DEFAULTS.windowMs),
    maxPoints: positiveInteger('max_points', params, DEFAULTS.maxPoints),
    minPoints: positiveInteger('min_points', params, DEFAULTS.minPoints),
    scaleFloor,
    maxSeries: positiveInteger('max_series', params, DEFAULTS.maxSeries),
  };
}

/** Reads a duration parameter given as text (`1d`, `6h`) or as a number of milliseconds. */
function durationParam(name: string, params: Record<string, unknown>, fallback: number): number {
  const raw = params[name];
  if (typeof raw === 'string') {
    const ms = parseDuration(raw);
    if (ms === undefined || ms <= 0) {
      throw new Error(
        `anomaly.robust_zscore: params.${name} is invalid (got ${JSON.stringify(raw)}); use ${durationExample}`,
      );
    }
    return ms;
  }
  return positiveInteger(name, params, fallback);
}

/** Stable key of a labelset: its entries sorted by name. */
function labelKey(labels: Record<string, string>): string {
  const names = Object.keys(labels).sort();
  return JSON.stringify(names.map((name) => [name, labels[name]]));
}

/** Per-evaluation summary of one series: the new points' maximum score and their count. */
interface SeriesUpdate {
  maxScore: number;
  newPoints: number;
}

class RobustZscoreDetector implements EvaluatorInstance {
  private readonly states = new Map<string, SeriesState>();
  private previousTime: number | undefined;

  constructor(
    private readonly series: { name: string; matchers: Record<string, string> },
    private readonly params: DetectorParams,
  ) {}

  evaluate(context: EvaluationContext): EvaluationOutput[] {
    // NOTE: a point stored after an evaluation already passed its timestamp is never scored,
    // because each evaluation reads only [previous evaluation time, evaluation time).
    const from = this.previousTime ?? context.time - this.params.windowMs;
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
      if (state.lastTimestamp <= context.time - this.params.windowMs) this.states.delete(key);
      else outputs.push(this.outputOf(state, { maxScore: NaN, newPoints: 0 }));
    }
    return outputs;
  }

  private updateSeries(key: string, sample: SeriesSamples): EvaluationOutput {
    let state = this.states.get(key);
    if (state === undefined) {
      if (this.states.size >= this.params.maxSeries) return this.overLimit(sample.labels);
      state = {
        labels: { ...sample.labels },
        window: new RollingRobustWindow(this.params.maxPoints),
        lastTimestamp: -Infinity,
        lastScore: NaN,
        lastZ: NaN,
      };
      this.states.set(key, state);
    }
    return this.outputOf(state, this.feed(state, sample));
  }

  /** Scores the sample's points newer than the series' last timestamp, in order. */
  private feed(state: SeriesState, sample: SeriesSamples): SeriesUpdate {
    const { windowMs, minPoints, scaleFloor } = this.params;
    const { timestamps, values } = sample;
    let maxScore = NaN;
    let newPoints = 0;

    for (let i = 0; i < timestamps.length; i += 1) {
      const time = timestamps[i]!;
      const value = values[i]!;
      if (time <= state.lastTimestamp || !Number.isFinite(value)) continue;

      state.window.evictThrough(time - windowMs);
      let z = NaN;
      let score = NaN;
      if (state.window.count >= minPoints) {
        z = state.window.robustZ(value, scaleFloor);
        score = 1 - normalTwoSidedTail(z);
        if (!(score <= maxScore)) maxScore = score;
      }
      state.window.push(time, value);
      state.lastTimestamp = time;
      state.lastScore = score;
      state.lastZ = z;
      newPoints += 1;
    }
    return { maxScore, newPoints };
  }

  private outputOf(state: SeriesState, update: SeriesUpdate): EvaluationOutput {
    const output: EvaluationOutput = {
      labels: state.labels,
      values: {
        value: state.lastScore,
        z: state.lastZ,
        max_score: update.maxScore,
        new_points: update.newPoints,
        window_points: state.window.count,
      },
      convention: {
        score: '1 - two-sided normal p-value of (x - median) / (1.4826 MAD)',
        zero_mad: 'sqrt(pi/2) * mean absolute deviation, then scale_floor',
        window_ms: this.params.windowMs,
        max_points: this.params.maxPoints,
        min_points: this.params.minPoints,
        scale_floor: this.params.scaleFloor,
      },
    };
    const reason = this.reasonFor(state, update);
    if (reason !== undefined) output.reason = reason;
    return output;
  }

  private reasonFor(state: SeriesState, update: SeriesUpdate): string | undefined {
    if (Number.isNaN(state.lastScore)) {
      const before = Math.max(0, state.window.count - 1);
      return `warming up: ${before} of ${this.params.minPoints} points before the latest`;
    }
    if (update.newPoints === 0) {
      return 'no new points since the previous evaluation; value and z are from the latest point';
    }
    return undefined;
  }

  private overLimit(labels: Record<string, string>): EvaluationOutput {
    return {
      labels: { ...labels },
      values: { value: NaN, z: NaN, max_score: NaN, new_points: 0, window_points: 0 },
      convention: { max_series: this.params.maxSeries },
      reason:
        `series not tracked: the rule already tracks ${this.params.maxSeries} series; ` +
        'raise params.max_series or narrow the selector',
    };
  }
}

export const robustZscoreEvaluator: EvaluatorFactory = {
  name: 'anomaly.robust_zscore',
  description:
    'Streaming robust z-score per series over a rolling window, as an anomaly score in [0, 1].',
  input: 'series',
  needsReference: false,
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      window: {
        type: ['integer', 'string'],
        description: 'Rolling window length: a duration such as 1d, or milliseconds',
      },
      max_points: { type: 'integer', minimum: 1, description: 'Points kept per series' },
      min_points: { type: 'integer', minimum: 1, description: 'Points needed before scoring' },
      scale_floor: {
        type: 'number',
        exclusiveMinimum: 0,
        description: 'Scale for a constant window',
      },
      max_series: { type: 'integer', minimum: 1, description: 'Series tracked per rule' },
    },
  },
  outputs: {
    value: {
      metric: 'vigil_anomaly_score',
      help: 'Robust z-score anomaly score of the latest point',
    },
    z: { metric: 'vigil_anomaly_robust_z', help: 'Robust z of the latest point' },
    max_score: {
      metric: 'vigil_anomaly_max_score',
      help: 'Largest anomaly score among the points since the previous evaluation',
    },
    new_points: { metric: 'vigil_anomaly_new_points', help: 'Points scored in this evaluation' },
    window_points: { metric: 'vigil_anomaly_window_points', help: 'Points in the rolling window' },
  },
  outputLabels: [],
  create(inputs: EvaluatorInputs) {
    if (inputs.series === undefined) {
      throw new Error(
        'anomaly.robust_zscore: inputs.series is missing; set it to a series selector ' +
          'with a name and label matchers',
      );
    }
    return new RobustZscoreDetector(inputs.series, parseParams(inputs.params));
  },
};
