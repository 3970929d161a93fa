import { normalTwoSidedTail } from '../../stats/robust.ts';
import type { AnomalyDetector, AnomalyDetectorFactory } from './detector.ts';
import { NON_FINITE_REASON, scoreFromPValue } from './detector.ts';
import { EwBaseline } from './ew-baseline.ts';
import { integerOption, numberOption } from './options.ts';
import { SlotTable } from './slot-table.ts';

/**
 * Seasonal baseline: a point is compared with the values seen at the same time of week (slot of
 * `slotMs` in a `periodMs` period), by a robust z = (x - slot median) / (1.4826 · slot MAD). Until
 * the weekly slot contains `minSamples` values, the same time of day is used instead. The scale has a
 * floor of `minScaleFraction` times the series' overall standard deviation, because a slot of a
 * few near-equal values would otherwise turn noise into alarms. The score is `scoreFromPValue`
 * of the two-sided normal p-value.
 */
export interface SeasonalOptions {
  periodMs: number;
  /** Fallback period while the main one is not yet learned. */
  fallbackPeriodMs: number;
  slotMs: number;
  /** Values kept per slot. */
  samplesPerSlot: number;
  /** Values one visit of a slot (one hour of one day or week) adds: its first ones. */
  valuesPerVisit: number;
  /** Values a slot needs before it scores. */
  minSamples: number;
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
  private readonly weekly: SlotTable;
  private readonly daily: SlotTable;
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
      periodMs: numberOption(NAME, 'periodMs', o.periodMs, d.periodMs, 1),
      fallbackPeriodMs: numberOption(
        NAME,
        'fallbackPeriodMs',
        o.fallbackPeriodMs,
        d.fallbackPeriodMs,
        1,
      ),
      slotMs: numberOption(NAME, 'slotMs', o.slotMs, d.slotMs, 1),
      samplesPerSlot: integerOption(NAME, 'samplesPerSlot', o.samplesPerSlot, d.samplesPerSlot, 1),
      valuesPerVisit: integerOption(NAME, 'valuesPerVisit', o.valuesPerVisit, d.valuesPerVisit, 1),
      minSamples: integerOption(NAME, 'minSamples', o.minSamples, d.minSamples, 1),
      minScaleFraction: numberOption(
        NAME,
        'minScaleFraction',
        o.minScaleFraction,
        d.minScaleFraction,
        0,
      ),
      scaleFloor: numberOption(NAME, 'scaleFloor', o.scaleFloor, d.scaleFloor, 1e-300),
    };
    const { periodMs, fallbackPeriodMs, slotMs, samplesPerSlot, valuesPerVisit } = this.options;
    this.weekly = new SlotTable(periodMs, slotMs, samplesPerSlot, valuesPerVisit);
    this.daily = new SlotTable(fallbackPeriodMs, slotMs, samplesPerSlot, valuesPerVisit);
  }

  update(timestamp: number, value: number): number {
    if (!Number.isFinite(value)) {
      this.reason = NON_FINITE_REASON;
      return NaN;
    }
    const time = Math.max(timestamp, this.lastTime);
    this.lastTime = time;

    const weekSlot = this.weekly.slotOf(time);
    const daySlot = this.daily.slotOf(time);
    const score = this.scoreAgainst(value, time, weekSlot, daySlot);

    this.weekly.push(weekSlot, value, time);
    this.daily.push(daySlot, value, time);
    this.overall.update(value);
    return score;
  }

  status(): string | undefined {
    return this.reason;
  }

  stateBytes(): number {
    return this.weekly.byteLength() + this.daily.byteLength() + 16 * 8;
  }

  private scoreAgainst(value: number, time: number, weekSlot: number, daySlot: number): number {
    const { minSamples, minScaleFraction, scaleFloor } = this.options;
    let table = this.weekly;
    let slot = weekSlot;
    if (table.count(slot, time) < minSamples) {
      table = this.daily;
      slot = daySlot;
    }
    if (table.count(slot, time) < minSamples) {
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
