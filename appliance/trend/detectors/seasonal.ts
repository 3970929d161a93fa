import { normalTwoSidedTail } from '../../stats/robust.ts';
import type { AnomalyDetector, AnomalyDetectorFactory } from './detector.ts';
import { NON_FINITE_REASON, scoreFromPValue } from './detector.ts';
import { EwBaseline } from './ew-baseline.ts';
import { numberOption } from './options.ts';
import {
  parseSeasonalSlotOptions,
  SeasonalSlots,
  type SeasonalSlotOptions,
} from './seasonal-slots.ts';

/**
 * Seasonal baseline: a point is compared with the values seen at the same time of week (slot of
 * `slotMs` in a `periodMs` period), by a robust z = (x - slot median) / (1.4826 · slot MAD). Until
 * the weekly slot contains `minSamples` values, the same time of day is used instead. The scale has a
 * floor of `minScaleFraction` times the series' overall standard deviation, because a slot of a
 * few near-equal values would otherwise turn noise into alarms. The score is `scoreFromPValue`
 * of the two-sided normal p-value.
 */
export interface SeasonalOptions extends SeasonalSlotOptions {
  minScaleFraction: number;
  scaleFloor: number;
}

export const SEASONAL_DEFAULTS: SeasonalOptions = {
  periodMs: 7 * 86_400_000,
  fallbackPeriodMs: 86_400_000,
  slotMs: 3_600_000,
  samplesPerSlot: 12,
  valuesPerVisit: 4,
  minSamples: 4,
  minScaleFraction: 0.5,
  scaleFloor: 1e-9,
};

const NAME = 'anomaly.seasonal';

export class SeasonalDetector implements AnomalyDetector {
  readonly options: SeasonalOptions;
  private readonly slots: SeasonalSlots;
  private readonly overall = new EwBaseline(0.001, 3, 30);
  private lastTime = -Infinity;
  /** Robust z of the latest point against its slot. */
  z = NaN;
  /** Slot median that the latest point was compared with. */
  expected = NaN;
  private reason: string | undefined = 'no points yet';

  constructor(options: Partial<SeasonalOptions> = {}) {
    const d = SEASONAL_DEFAULTS;
    const o = options;
    this.options = {
      ...parseSeasonalSlotOptions(NAME, o, d),
      minScaleFraction: numberOption(
        NAME,
        'minScaleFraction',
        o.minScaleFraction,
        d.minScaleFraction,
        0,
      ),
      scaleFloor: numberOption(NAME, 'scaleFloor', o.scaleFloor, d.scaleFloor, 1e-300),
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

    const score = this.scoreAgainst(value, time);
    this.slots.push(value, time);
    this.overall.update(value);
    return score;
  }

  status(): string | undefined {
    return this.reason;
  }

  stateBytes(): number {
    return this.slots.byteLength() + 16 * 8;
  }

  private scoreAgainst(value: number, time: number): number {
    const { minSamples, minScaleFraction, scaleFloor } = this.options;
    const ready = this.slots.select(time);
    const { table, slot } = this.slots;
    if (!ready) {
      this.reason = `warming up: ${table.count(slot, time)} of ${minSamples} values at this time of day`;
      this.z = NaN;
      return NaN;
    }

    const center = table.median(slot, time);
    const floor = minScaleFraction * this.overall.scale(scaleFloor, 0);
    const scale = Math.max(table.scale(slot, time, center), floor, scaleFloor);
    this.expected = center;
    this.z = (value - center) / scale;
    this.reason = undefined;
    return scoreFromPValue(normalTwoSidedTail(this.z));
  }
}

export const seasonalDetector: AnomalyDetectorFactory<SeasonalOptions> = {
  name: NAME,
  create: (options) => new SeasonalDetector(options),
};
