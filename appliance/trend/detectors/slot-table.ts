import { MAD_TO_SIGMA } from '../../stats/robust.ts';

/**
 * The last `capacity` values seen in each time slot of a period (for example the 168 hours of a
 * week), for a seasonal median and MAD. A visit is one pass through a slot (one hour of one
 * week); each visit keeps at most `perVisit` values, its first ones. The median and MAD use only
 * earlier visits, so a spike is never part of its own baseline and the return to normal after it
 * does not look anomalous. Slots are aligned to the Unix epoch in UTC, so slot 0 of
 * a week starts on a Thursday at 00:00 UTC. Memory: slots · (capacity + 2) numbers, fixed when
 * constructed. `median` and `scale` sort a reused scratch array, O(capacity log capacity), and
 * allocate nothing.
 */
export class SlotTable {
  readonly slots: number;
  private readonly values: Float64Array;
  private readonly heads: Uint32Array;
  private readonly sizes: Uint32Array;
  private readonly scratch: Float64Array;
  private readonly visits: Float64Array;
  private readonly visitValues: Uint32Array;

  constructor(
    readonly periodMs: number,
    readonly slotMs: number,
    readonly capacity: number,
    readonly perVisit: number,
  ) {
    this.slots = Math.max(1, Math.round(periodMs / slotMs));
    this.values = new Float64Array(this.slots * capacity);
    this.heads = new Uint32Array(this.slots);
    this.sizes = new Uint32Array(this.slots);
    this.scratch = new Float64Array(capacity);
    this.visits = new Float64Array(this.slots).fill(NaN);
    this.visitValues = new Uint32Array(this.slots);
  }

  slotOf(time: number): number {
    const phase = ((time % this.periodMs) + this.periodMs) % this.periodMs;
    return Math.min(this.slots - 1, Math.floor(phase / this.slotMs));
  }

  /** Values of the slot from visits before the one at `time`. */
  count(slot: number, time: number): number {
    return this.sizes[slot]! - this.currentVisitValues(slot, time);
  }

  /** Adds `value` at `time` to the slot, unless its visit already has `perVisit` values. */
  push(slot: number, value: number, time: number): void {
    const visit = Math.floor(time / this.slotMs);
    if (this.visits[slot] !== visit) {
      this.visits[slot] = visit;
      this.visitValues[slot] = 0;
    }
    if (this.visitValues[slot]! >= this.perVisit) return;
    this.visitValues[slot] += 1;

    const size = this.sizes[slot]!;
    const head = this.heads[slot]!;
    const base = slot * this.capacity;
    if (size < this.capacity) {
      this.values[base + ((head + size) % this.capacity)] = value;
      this.sizes[slot] = size + 1;
    } else {
      this.values[base + head] = value;
      this.heads[slot] = (head + 1) % this.capacity;
    }
  }

  /** Median of the slot's earlier values; NaN without any. Leaves them sorted in the scratch. */
  median(slot: number, time: number): number {
    const size = this.count(slot, time);
    if (size === 0) return NaN;
    const base = slot * this.capacity;
    const head = this.heads[slot]!;
    for (let i = 0; i < this.capacity; i += 1) {
      this.scratch[i] = i < size ? this.values[base + ((head + i) % this.capacity)]! : Infinity;
    }
    this.scratch.sort();
    return middle(this.scratch, size);
  }

  /** 1.4826 · MAD of the slot's earlier values around `center`; call right after `median`. */
  scale(slot: number, time: number, center: number): number {
    const size = this.count(slot, time);
    for (let i = 0; i < size; i += 1) this.scratch[i] = Math.abs(this.scratch[i]! - center);
    this.scratch.sort();
    return MAD_TO_SIGMA * middle(this.scratch, size);
  }

  byteLength(): number {
    return (this.values.length + this.scratch.length + this.visits.length) * 8 + this.slots * 12;
  }

  private currentVisitValues(slot: number, time: number): number {
    return this.visits[slot] === Math.floor(time / this.slotMs) ? this.visitValues[slot]! : 0;
  }
}

/** Median of the first `count` values of `sorted`; the slots past them hold Infinity. */
function middle(sorted: Float64Array, count: number): number {
  const half = count >> 1;
  return count % 2 === 1 ? sorted[half]! : (sorted[half - 1]! + sorted[half]!) / 2;
}
