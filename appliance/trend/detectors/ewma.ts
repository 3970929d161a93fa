import { normalTwoSidedTail } from '../../stats/robust.ts';
import type { AnomalyDetector, AnomalyDetectorFactory } from './detector.ts';
import { NON_FINITE_REASON, scoreFromPValue } from './detector.ts';
import { EwBaseline } from './ew-baseline.ts';
import { integerOption, numberOption } from './options.ts';

/**
 * EWMA control chart on the residuals from a slow exponentially weighted baseline.
 * The statistic is s = lambda·(x - mean) + (1 - lambda)·s, whose in-control standard deviation is
 * sd · sqrt(lambda / (2 - lambda)) for independent residuals. The score is `scoreFromPValue` of
 * the two-sided normal p-value of s over that deviation.
 */
export interface EwmaOptions {
  /** Weight of the newest residual in the statistic; smaller detects smaller, slower shifts. */
  lambda: number;
  /** Weight of the newest point in the baseline mean and variance (about 1/alpha points). */
  alpha: number;
  /** Points before the first score. */
  warmupPoints: number;
  /** Residuals beyond this many standard deviations are clipped before the baseline learns. */
  clip: number;
  /** Smallest standard deviation, in the unit of the series, so a constant series scores 0. */
  scaleFloor: number;
  /** Smallest standard deviation relative to |mean|. */
  relativeScaleFloor: number;
}

export const EWMA_DEFAULTS: EwmaOptions = {
  lambda: 0.3,
  alpha: 0.01,
  warmupPoints: 30,
  clip: 3,
  scaleFloor: 1e-9,
  relativeScaleFloor: 1e-6,
};

const NAME = 'anomaly.ewma';

export class EwmaDetector implements AnomalyDetector {
  private readonly options: EwmaOptions;
  private readonly baseline: EwBaseline;
  private readonly statisticScale: number;
  private statistic = 0;
  /** Two-sided p-value of the latest statistic. */
  pValue = NaN;
  private reason: string | undefined = 'no points yet';

  constructor(options: Partial<EwmaOptions> = {}) {
    const d = EWMA_DEFAULTS;
    this.options = {
      lambda: numberOption(NAME, 'lambda', options.lambda, d.lambda, 1e-6, 1),
      alpha: numberOption(NAME, 'alpha', options.alpha, d.alpha, 1e-9, 1),
      warmupPoints: integerOption(NAME, 'warmupPoints', options.warmupPoints, d.warmupPoints, 2),
      clip: numberOption(NAME, 'clip', options.clip, d.clip, 0.1),
      scaleFloor: numberOption(NAME, 'scaleFloor', options.scaleFloor, d.scaleFloor, 1e-300),
      relativeScaleFloor: numberOption(
        NAME,
        'relativeScaleFloor',
        options.relativeScaleFloor,
        d.relativeScaleFloor,
        0,
      ),
    };
    const { lambda, alpha, clip, warmupPoints } = this.options;
    this.baseline = new EwBaseline(alpha, clip, warmupPoints);
    this.statisticScale = Math.sqrt(lambda / (2 - lambda));
  }

  update(_timestamp: number, value: number): number {
    if (!Number.isFinite(value)) {
      this.reason = NON_FINITE_REASON;
      return NaN;
    }

    let score = NaN;
    if (this.baseline.ready) {
      const { lambda, scaleFloor, relativeScaleFloor } = this.options;
      const sd = this.baseline.scale(scaleFloor, relativeScaleFloor);
      this.statistic = lambda * (value - this.baseline.mean) + (1 - lambda) * this.statistic;
      this.pValue = normalTwoSidedTail(this.statistic / (sd * this.statisticScale));
      score = scoreFromPValue(this.pValue);
      this.reason = undefined;
    } else {
      this.reason = `warming up: ${this.baseline.count} of ${this.options.warmupPoints} points`;
    }

    this.baseline.update(value);
    return score;
  }

  status(): string | undefined {
    return this.reason;
  }

  stateBytes(): number {
    return 12 * 8;
  }
}

export const ewmaDetector: AnomalyDetectorFactory<EwmaOptions> = {
  name: NAME,
  create: (options) => new EwmaDetector(options),
};
