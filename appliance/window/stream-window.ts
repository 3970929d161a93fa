import type { PredictionEvent, TimeRange } from '../core/types.ts';
import { bucketStart, lowerBound, overlappingStarts } from './buckets.ts';

/** The events of one tumbling bucket. `sorted` turns false when a late event arrives. */
interface EventBucket {
  events: PredictionEvent[];
  sorted: boolean;
}

/**
 * The in-memory events of one stream, in tumbling buckets of event time, with an index by
 * event id for duplicates and late actuals.
 */
export class StreamWindow {
  private readonly buckets = new Map<number, EventBucket>();
  private readonly byId = new Map<string, PredictionEvent>();

  constructor(private readonly bucketMs: number) {}

  get size(): number {
    return this.byId.size;
  }

  /** Adds the event unless its id is already in the window, and returns whether it was added. */
  add(event: PredictionEvent): boolean {
    if (this.byId.has(event.id)) return false;
    this.byId.set(event.id, event);

    const start = bucketStart(event.timestamp, this.bucketMs);
    const bucket = this.buckets.get(start);
    if (bucket === undefined) {
      this.buckets.set(start, { events: [event], sorted: true });
      return true;
    }
    const last = bucket.events[bucket.events.length - 1]!;
    if (event.timestamp < last.timestamp) bucket.sorted = false;
    bucket.events.push(event);
    return true;
  }

  /** Sets the actual of an event in the window, and returns false when the id is not found. */
  setActual(id: string, actual: number | string): boolean {
    const event = this.byId.get(id);
    if (event === undefined) return false;
    event.actual = actual;
    return true;
  }

  /** Returns the events in the range by timestamp, ties in arrival order. */
  read(range: TimeRange): PredictionEvent[] {
    const result: PredictionEvent[] = [];
    for (const start of overlappingStarts(this.buckets, range, this.bucketMs)) {
      const events = this.sortedEvents(this.buckets.get(start)!);
      const inside = start >= range.from && start + this.bucketMs <= range.to;
      const first = inside ? 0 : lowerBound(events.length, (i) => events[i]!.timestamp, range.from);
      const end = inside
        ? events.length
        : lowerBound(events.length, (i) => events[i]!.timestamp, range.to);
      for (let i = first; i < end; i++) result.push(events[i]!);
    }
    return result;
  }

  /** Drops every bucket that starts before `cut`, which must be a bucket start. */
  dropBefore(cut: number): void {
    for (const [start, bucket] of this.buckets) {
      if (start >= cut) continue;
      for (const event of bucket.events) this.byId.delete(event.id);
      this.buckets.delete(start);
    }
  }

  private sortedEvents(bucket: EventBucket): PredictionEvent[] {
    if (!bucket.sorted) {
      // Array.prototype.sort is stable, so events with equal timestamps keep arrival order.
      bucket.events.sort((a, b) => a.timestamp - b.timestamp);
      bucket.sorted = true;
    }
    return bucket.events;
  }
}
