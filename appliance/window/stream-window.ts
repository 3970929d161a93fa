import type { PredictionEvent, TimeRange } from '../core/types.ts';
import { bucketStart, lowerBound, mapSizes, overlappingStarts } from './buckets.ts';

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

  /** Event counts per bucket start, for choosing where to cut memory. */
  bucketSizes(): IterableIterator<[number, number]> {
    return mapSizes(this.buckets, (bucket) => bucket.events.length);
  }

  /** Timestamps of the events in the bucket that starts at `start`, in no particular order. */
  timestampsIn(start: number): number[] {
    return this.buckets.get(start)?.events.map((event) => event.timestamp) ?? [];
  }

  /**
   * Drops every event with a timestamp before `cut`, which may fall inside a bucket, and
   * returns how many it dropped.
   */
  dropBefore(cut: number): number {
    let dropped = 0;
    for (const [start, bucket] of this.buckets) {
      if (start + this.bucketMs <= cut) {
        for (const event of bucket.events) this.byId.delete(event.id);
        dropped += bucket.events.length;
        this.buckets.delete(start);
      } else if (start < cut) {
        dropped += this.dropPrefix(start, bucket, cut);
      }
    }
    return dropped;
  }

  private dropPrefix(start: number, bucket: EventBucket, cut: number): number {
    const events = this.sortedEvents(bucket);
    const end = lowerBound(events.length, (i) => events[i]!.timestamp, cut);
    for (const event of events.splice(0, end)) this.byId.delete(event.id);
    if (events.length === 0) this.buckets.delete(start);
    return end;
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
