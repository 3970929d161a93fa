import type { AnomalyDetector, AnomalyDetectorFactory } from './detector.ts';
import { NON_FINITE_REASON, scoreFromPValue } from './detector.ts';
import { EwBaseline } from './ew-baseline.ts';
import { integerOption, numberOption } from './options.ts';

/**
 * Two-sided tabular CUSUM on residuals standardised by a slow exponentially weighted
 * baseline: S+ = max(0, S+ + z - k), S- = max(0, S- - z - k). The p-value of S = max(S+, S-) is
 * exp(-2·k·S), the stationary tail P(S' > S) of a reflected random walk with drift -k and unit
 * variance (Brownian approximation), scored on the log scale of `scoreFromPValue`. When S exceeds `h` the
 * sums restart at 0, as a CUSUM does after an alarm.
 */
export interface CusumOptions {
  /** Allowance k in standard deviations: half the shift the chart is tuned to detect. */
  k: number;
  /** Decision interval h in standard deviations; the sums restart above it. */
  h: number;
  /** Weight of the newest point in the baseline mean and variance. */
  alpha: number;
  warmupPoints: number;
  /** Residuals beyond this many standard deviations are clipped before the baseline learns. */
  clip: number;
  scaleFloor: number;
  relativeScaleFloor: number;
}

export const CUSUM_DEFAULTS: CusumOptions = {
  k: 0.5,
  h: 8,
  alpha: 0.01,
  warmupPoints: 30,
  clip: 3,
  scaleFloor: 1e-9,
  relativeScaleFloor: 1e-6,
};

const NAME = 'anomaly.cusum';

export class CusumDetector implements AnomalyDetector {
  private readonly options: CusumOptions;
  private readonly baseline: EwBaseline;
  private upper = 0;
  private lower = 0;
  private reason: string | undefined = 'no points yet';

  constructor(options: Partial<CusumOptions> = {}) {
    const d = CUSUM_DEFAULTS;
    this.options = {
      k: numberOption(NAME, 'k', options.k, d.k, 1e-6),
      h: numberOption(NAME, 'h', options.h, d.h, 1e-6),
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
    const { alpha, clip, warmupPoints } = this.options;
    this.baseline = new EwBaseline(alpha, clip, warmupPoints);
  }

  /** Latest max(S+, S-) in standard deviations, before any restart. */
  statistic = 0;

  update(_timestamp: number, value: number): number {
    if (!Number.isFinite(value)) {
      this.reason = NON_FINITE_REASON;
      return NaN;
    }

    let score = NaN;
    if (this.baseline.ready) {
      const { k, h, scaleFloor, relativeScaleFloor } = this.options;
      const z = (value - this.baseline.mean) / this.baseline.scale(scaleFloor, relativeScaleFloor);
      this.upper = Math.max(0, this.upper + z - k);
      this.lower = Math.max(0, this.lower - z - k);
      this.statistic = Math.max(this.upper, this.lower);
      score = scoreFromPValue(Math.exp(-2 * k * this.statistic));
      if (this.statistic > h) {
        this.upper = 0;
        this.lower = 0;
      }
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
    return 14 * 8;
  }
}

export const cusumDetector: AnomalyDetectorFactory<CusumOptions> = {
  name: NAME,
  create: (options) => new CusumDetector(options),
};
