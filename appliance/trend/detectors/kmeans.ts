import { kmeans } from 'ml-kmeans';

import type { AnomalyDetector, AnomalyDetectorFactory } from './detector.ts';
import { NON_FINITE_REASON } from './detector.ts';
import { integerOption, numberOption } from './options.ts';

/**
 * k-means anomaly detector in the style of Netdata's anomaly detection: each point becomes a
 * feature vector of its first difference, smoothed by a mean over `smoothPoints`, and that value
 * lagged `lags` times (1 + lags dimensions). Every `retrainEveryMs` a model of `k` centres is
 * trained (ml-kmeans, k-means++ with a fixed seed) on the vectors of the last `trainWindowMs`,
 * and the last `maxModels` models are kept. Per model, the ratio
 *   r = (distance to the nearest centre - min training distance) / (max - min training distance)
 * is 1 at the farthest training vector. The detector takes the smallest r over the kept models, so
 * a point is anomalous only when every model agrees. The score is r / (1 + r), so an anomaly bit
 * set at r ≥ 0.99 in every model, as Netdata's is, equals a score of at least 0.497.
 */
export interface KmeansOptions {
  trainWindowMs: number;
  retrainEveryMs: number;
  maxModels: number;
  k: number;
  smoothPoints: number;
  lags: number;
  /** Feature vectors needed before the first model; fewer means no score yet. */
  minTrainPoints: number;
  /**
   * Capacity of the training buffer: 360 vectors hold 6 h at one point a minute. For denser
   * series the model trains on only the latest 360 vectors of the window.
   */
  maxTrainPoints: number;
  maxIterations: number;
  seed: number;
  /** Smallest training distance range, so a constant series does not divide by zero. */
  rangeFloor: number;
}

export const KMEANS_DEFAULTS: KmeansOptions = {
  trainWindowMs: 6 * 3_600_000,
  retrainEveryMs: 3 * 3_600_000,
  maxModels: 18,
  k: 2,
  smoothPoints: 3,
  lags: 5,
  minTrainPoints: 36,
  maxTrainPoints: 360,
  maxIterations: 50,
  seed: 42,
  rangeFloor: 1e-9,
};

const NAME = 'anomaly.kmeans';

function parseOptions(options: Partial<KmeansOptions>): KmeansOptions {
  const d = KMEANS_DEFAULTS;
  const o = options;
  return {
    trainWindowMs: numberOption(NAME, 'trainWindowMs', o.trainWindowMs, d.trainWindowMs, 1),
    retrainEveryMs: numberOption(NAME, 'retrainEveryMs', o.retrainEveryMs, d.retrainEveryMs, 1),
    maxModels: integerOption(NAME, 'maxModels', o.maxModels, d.maxModels, 1),
    k: integerOption(NAME, 'k', o.k, d.k, 1),
    smoothPoints: integerOption(NAME, 'smoothPoints', o.smoothPoints, d.smoothPoints, 1),
    lags: integerOption(NAME, 'lags', o.lags, d.lags, 0),
    minTrainPoints: integerOption(NAME, 'minTrainPoints', o.minTrainPoints, d.minTrainPoints, 2),
    maxTrainPoints: integerOption(NAME, 'maxTrainPoints', o.maxTrainPoints, d.maxTrainPoints, 2),
    maxIterations: integerOption(NAME, 'maxIterations', o.maxIterations, d.maxIterations, 1),
    seed: integerOption(NAME, 'seed', o.seed, d.seed, 0),
    rangeFloor: numberOption(NAME, 'rangeFloor', o.rangeFloor, d.rangeFloor, 1e-300),
  };
}

export class KmeansDetector implements AnomalyDetector {
  readonly options: KmeansOptions;
  private readonly dims: number;
  // Raw differences for the smoothing mean, then smoothed values for the lags: both rings.
  private readonly diffs: Float64Array;
  private readonly smoothed: Float64Array;
  private readonly feature: Float64Array;
  // Training buffer: a ring of feature vectors with their times.
  private readonly trainTimes: Float64Array;
  private readonly trainVectors: Float64Array;
  // Models: per slot k centres, then the min and max training distance.
  private readonly models: Float64Array;
  private readonly modelStride: number;
  private points = 0;
  private previousValue = NaN;
  private lastTime = -Infinity;
  private trainHead = 0;
  private trainSize = 0;
  private modelCount = 0;
  private modelHead = 0;
  private nextTrainAt = NaN;
  /** Smallest distance ratio over the kept models for the latest point. */
  ratio = NaN;
  private reason: string | undefined = 'no points yet';

  constructor(options: Partial<KmeansOptions> = {}) {
    this.options = parseOptions(options);
    const { smoothPoints, lags, maxTrainPoints, maxModels, k } = this.options;
    this.dims = lags + 1;
    this.diffs = new Float64Array(smoothPoints);
    this.smoothed = new Float64Array(this.dims);
    this.feature = new Float64Array(this.dims);
    this.trainTimes = new Float64Array(maxTrainPoints);
    this.trainVectors = new Float64Array(maxTrainPoints * this.dims);
    this.modelStride = k * this.dims + 2;
    this.models = new Float64Array(maxModels * this.modelStride);
  }

  update(timestamp: number, value: number): number {
    if (!Number.isFinite(value)) {
      this.reason = NON_FINITE_REASON;
      return NaN;
    }
    const time = Math.max(timestamp, this.lastTime);
    this.lastTime = time;

    if (!this.pushFeature(value)) {
      this.reason = `warming up: ${this.points} of ${this.featurePoints()} points for one feature vector`;
      return NaN;
    }
    this.pushTraining(time);
    if (!(time < this.nextTrainAt)) this.train(time);

    if (this.modelCount === 0) {
      this.reason =
        `warming up: ${this.trainSize} of ${this.options.minTrainPoints} feature vectors ` +
        'before the first model';
      return NaN;
    }
    this.ratio = this.minRatio();
    this.reason = undefined;
    return this.ratio / (1 + this.ratio);
  }

  status(): string | undefined {
    return this.reason;
  }

  stateBytes(): number {
    const arrays =
      this.diffs.length + this.smoothed.length + this.feature.length + this.trainTimes.length;
    return (arrays + this.trainVectors.length + this.models.length) * 8 + 16 * 8;
  }

  /** Points before the first feature vector: one for the difference, then smoothing and lags. */
  private featurePoints(): number {
    return 1 + this.options.smoothPoints + this.options.lags;
  }

  /** Updates the difference, smoothing and lag rings; true once `feature` is a full vector. */
  private pushFeature(value: number): boolean {
    const previous = this.previousValue;
    this.previousValue = value;
    this.points += 1;
    if (Number.isNaN(previous)) return false;

    const { smoothPoints } = this.options;
    const n = this.points - 1;
    this.diffs[n % smoothPoints] = value - previous;
    if (n < smoothPoints) return false;

    let sum = 0;
    for (let i = 0; i < smoothPoints; i += 1) sum += this.diffs[i]!;
    const m = n - smoothPoints;
    this.smoothed[m % this.dims] = sum / smoothPoints;
    if (m + 1 < this.dims) return false;

    for (let lag = 0; lag < this.dims; lag += 1) {
      this.feature[lag] = this.smoothed[(m - lag) % this.dims]!;
    }
    return true;
  }

  private pushTraining(time: number): void {
    const capacity = this.trainTimes.length;
    const slot = (this.trainHead + this.trainSize) % capacity;
    this.trainTimes[slot] = time;
    this.trainVectors.set(this.feature, slot * this.dims);
    if (this.trainSize < capacity) this.trainSize += 1;
    else this.trainHead = (this.trainHead + 1) % capacity;

    const cutoff = time - this.options.trainWindowMs;
    while (this.trainSize > 0 && this.trainTimes[this.trainHead]! <= cutoff) {
      this.trainHead = (this.trainHead + 1) % capacity;
      this.trainSize -= 1;
    }
  }

  /** Trains one model on the buffer and keeps it; allocates, but runs once per retrain period. */
  private train(time: number): void {
    const { minTrainPoints, k, maxIterations, seed, maxModels, retrainEveryMs } = this.options;
    if (this.trainSize < Math.max(minTrainPoints, k)) return;
    this.nextTrainAt = time + retrainEveryMs;

    const data: number[][] = [];
    const capacity = this.trainTimes.length;
    for (let i = 0; i < this.trainSize; i += 1) {
      const start = ((this.trainHead + i) % capacity) * this.dims;
      data.push(Array.from(this.trainVectors.subarray(start, start + this.dims)));
    }
    const result = kmeans(data, k, { seed, maxIterations, initialization: 'kmeans++' });

    const base = this.modelHead * this.modelStride;
    for (let c = 0; c < k; c += 1) {
      const centre = result.centroids[c] ?? result.centroids[0]!;
      for (let j = 0; j < this.dims; j += 1) this.models[base + c * this.dims + j] = centre[j]!;
    }
    let min = Infinity;
    let max = 0;
    for (const vector of data) {
      const distance = this.nearestDistance(base, vector);
      if (distance < min) min = distance;
      if (distance > max) max = distance;
    }
    this.models[base + k * this.dims] = min;
    this.models[base + k * this.dims + 1] = max;
    this.modelHead = (this.modelHead + 1) % maxModels;
    this.modelCount = Math.min(this.modelCount + 1, maxModels);
  }

  private minRatio(): number {
    const { k, rangeFloor } = this.options;
    let best = Infinity;
    for (let m = 0; m < this.modelCount; m += 1) {
      const base = m * this.modelStride;
      const min = this.models[base + k * this.dims]!;
      const max = this.models[base + k * this.dims + 1]!;
      const distance = this.nearestDistance(base, this.feature);
      const ratio = Math.max(0, distance - min) / Math.max(max - min, rangeFloor);
      if (ratio < best) best = ratio;
    }
    return best;
  }

  /** Euclidean distance from `vector` to the nearest centre of the model at `base`. */
  private nearestDistance(base: number, vector: ArrayLike<number>): number {
    let best = Infinity;
    for (let c = 0; c < this.options.k; c += 1) {
      let sum = 0;
      for (let j = 0; j < this.dims; j += 1) {
        const delta = vector[j]! - this.models[base + c * this.dims + j]!;
        sum += delta * delta;
      }
      if (sum < best) best = sum;
    }
    return Math.sqrt(best);
  }
}

export const kmeansDetector: AnomalyDetectorFactory<KmeansOptions> = {
  name: NAME,
  create: (options) => new KmeansDetector(options),
};
