import { poissonUpperTail } from '../../stats/poisson.ts';
import type { AnomalyDetector, AnomalyDetectorFactory } from './detector.ts';
import { NON_FINITE_REASON, scoreFromPValue } from './detector.ts';
import { numberOption } from './options.ts';
import {
  parseSeasonalSlotOptions,
  SeasonalSlots,
  type SeasonalSlotOptions,
} from './seasonal-slots.ts';

/**
 * Burst detector for counts per interval (mentions, requests). The expected count is the seasonal
 * median at the same time of week (the same time of day until the week is learned). Over-dispersion
 * is an exponentially weighted mean of the Pearson statistic φ = (x - μ)² / μ, at least 1, and the
 * count is tested as quasi-Poisson: p = P(Y ≥ x / φ) with Y ~ Poisson(μ / φ), which matches the
 * negative binomial's mean and variance. Only surges count: a count at or below the expected one scores 0, others
 * `scoreFromPValue(p)`.
 */
export interface BurstOptions extends SeasonalSlotOptions {
  /** Smallest expected count, so a slot of zeros does not make every single count a burst. */
  minExpected: number;
  /** Weight of the newest point in the dispersion estimate. */
  dispersionAlpha: number;
  /** Pearson statistics above this are clipped before the dispersion learns them. */
  maxDispersion: number;
}

export const BURST_DEFAULTS: BurstOptions = {
  periodMs: 7 * 86_400_000,
  fallbackPeriodMs: 86_400_000,
  slotMs: 3_600_000,
  samplesPerSlot: 12,
  valuesPerVisit: 4,
  minSamples: 4,
  minExpected: 0.5,
  dispersionAlpha: 0.01,
  maxDispersion: 50,
};

const NAME = 'anomaly.burst';

export class BurstDetector implements AnomalyDetector {
  readonly options: BurstOptions;
  private readonly slots: SeasonalSlots;
  private lastTime = -Infinity;
  /** Exponentially weighted dispersion φ, at least 1 when read. */
  dispersion = 1;
  /** Expected count and p-value of the latest point. */
  expected = NaN;
  pValue = NaN;
  private reason: string | undefined = 'no points yet';

  constructor(options: Partial<BurstOptions> = {}) {
    const d = BURST_DEFAULTS;
    const o = options;
    this.options = {
      ...parseSeasonalSlotOptions(NAME, o, d),
      minExpected: numberOption(NAME, 'minExpected', o.minExpected, d.minExpected, 1e-9),
      dispersionAlpha: numberOption(
        NAME,
        'dispersionAlpha',
        o.dispersionAlpha,
        d.dispersionAlpha,
        1e-9,
        1,
      ),
      maxDispersion: numberOption(NAME, 'maxDispersion', o.maxDispersion, d.maxDispersion, 1),
    };
    this.slots = new SeasonalSlots(this.options);
  }

  update(timestamp: number, value: number): number {
    if (!Number.isFinite(value)) {
      this.reason = NON_FINITE_REASON;
      return NaN;
    }
    const time = Math.max(timestamp, this.lastTime);
    this.lastTime = time;
    const count = Math.max(0, value);

    const score = this.scoreAgainst(count, time);
    this.slots.push(count, time);
    return score;
  }

  status(): string | undefined {
    return this.reason;
  }

  stateBytes(): number {
    return this.slots.byteLength() + 12 * 8;
  }

  private scoreAgainst(count: number, time: number): number {
    const { minSamples, minExpected, dispersionAlpha, maxDispersion } = this.options;
    const ready = this.slots.select(time);
    const { table, slot } = this.slots;
    if (!ready) {
      this.reason = `warming up: ${table.count(slot, time)} of ${minSamples} counts at this time of day`;
      this.pValue = NaN;
      return NaN;
    }

    const expected = Math.max(table.median(slot, time), minExpected);
    const phi = Math.max(1, this.dispersion);
    this.expected = expected;
    this.pValue = poissonUpperTail(count / phi, expected / phi);
    this.reason = undefined;

    const pearson = Math.min(maxDispersion, ((count - expected) * (count - expected)) / expected);
    this.dispersion += dispersionAlpha * (pearson - this.dispersion);
    // A count at or below the expected one is no surge, whatever its tail probability.
    return count <= expected ? 0 : scoreFromPValue(this.pValue);
  }
}

export const burstDetector: AnomalyDetectorFactory<BurstOptions> = {
  name: NAME,
  create: (options) => new BurstDetector(options),
};
