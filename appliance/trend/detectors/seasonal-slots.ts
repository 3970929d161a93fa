import { integerOption, numberOption } from './options.ts';
import { SlotTable } from './slot-table.ts';

/** Options of a weekly baseline that falls back to the time of day until the week is learned. */
export interface SeasonalSlotOptions {
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
}

/** Validates the slot options of detector `name`, each falling back to its default. */
export function parseSeasonalSlotOptions(
  name: string,
  options: Partial<SeasonalSlotOptions>,
  defaults: SeasonalSlotOptions,
): SeasonalSlotOptions {
  const o = options;
  const d = defaults;
  return {
    periodMs: numberOption(name, 'periodMs', o.periodMs, d.periodMs, 1),
    fallbackPeriodMs: numberOption(
      name,
      'fallbackPeriodMs',
      o.fallbackPeriodMs,
      d.fallbackPeriodMs,
      1,
    ),
    slotMs: numberOption(name, 'slotMs', o.slotMs, d.slotMs, 1),
    samplesPerSlot: integerOption(name, 'samplesPerSlot', o.samplesPerSlot, d.samplesPerSlot, 1),
    valuesPerVisit: integerOption(name, 'valuesPerVisit', o.valuesPerVisit, d.valuesPerVisit, 1),
    minSamples: integerOption(name, 'minSamples', o.minSamples, d.minSamples, 1),
  };
}

/**
 * A time-of-week baseline with a time-of-day fallback: two slot tables fed the same points.
 * `select(time)` picks the weekly slot when it has `minSamples` earlier values, else the daily
 * one, and leaves the pick in `table` and `slot` so the hot path allocates nothing.
 */
export class SeasonalSlots {
  table: SlotTable;
  slot = 0;
  private readonly weekly: SlotTable;
  private readonly daily: SlotTable;
  private weekSlot = 0;
  private daySlot = 0;

  constructor(private readonly options: SeasonalSlotOptions) {
    const { periodMs, fallbackPeriodMs, slotMs, samplesPerSlot, valuesPerVisit } = options;
    this.weekly = new SlotTable(periodMs, slotMs, samplesPerSlot, valuesPerVisit);
    this.daily = new SlotTable(fallbackPeriodMs, slotMs, samplesPerSlot, valuesPerVisit);
    this.table = this.weekly;
  }

  /** Picks the slot for `time`; returns false while even the daily slot is warming up. */
  select(time: number): boolean {
    this.weekSlot = this.weekly.slotOf(time);
    this.daySlot = this.daily.slotOf(time);
    this.table = this.weekly;
    this.slot = this.weekSlot;
    if (this.weekly.count(this.weekSlot, time) < this.options.minSamples) {
      this.table = this.daily;
      this.slot = this.daySlot;
    }
    return this.table.count(this.slot, time) >= this.options.minSamples;
  }

  /** Adds the value to the slots `select` last computed. */
  push(value: number, time: number): void {
    this.weekly.push(this.weekSlot, value, time);
    this.daily.push(this.daySlot, value, time);
  }

  byteLength(): number {
    return this.weekly.byteLength() + this.daily.byteLength();
  }
}
