import type { PredictionEvent, TimeRange } from '../core/types.ts';
import type { Store } from '../store/store.ts';
import { loadNewest } from './load-newest.ts';
import { cutForExcess, keptAfterTrim } from './memory-cut.ts';
import { StreamWindow } from './stream-window.ts';

/**
 * The in-memory events of every stream, complete from `from` on and at most `maxEvents` of
 * them. Past the bound the oldest events go until 90% of it is left, and `from` moves up to
 * the cut, which may fall inside a bucket.
 */
export class EventMemory {
  private readonly streams = new Map<string, StreamWindow>();
  private eventCount = 0;
  /** Start of the complete in-memory range, or Infinity before `load`. */
  private fromTimestamp = Number.POSITIVE_INFINITY;

  constructor(
    private readonly bucketMs: number,
    private readonly maxEvents: number,
  ) {}

  get from(): number {
    return this.fromTimestamp;
  }

  get size(): number {
    return this.eventCount;
  }

  /**
   * Replaces memory with the store's events since `from`, newest first up to `maxEvents`,
   * starting with the bucket that contains `now`.
   */
  load(store: Store, from: number, now: number): void {
    this.streams.clear();
    this.eventCount = 0;

    const streams = store.listStreams();
    const { chunks, loadedFrom } = loadNewest({
      from,
      now,
      bucketMs: this.bucketMs,
      maxSize: this.maxEvents,
      read: (range) => {
        const items = streams.map((stream) => store.queryEvents(stream, range));
        return { items, size: items.reduce((total, events) => total + events.length, 0) };
      },
    });
    this.fromTimestamp = loadedFrom;
    for (const chunk of chunks) {
      for (const events of chunk.items) {
        for (const event of events) this.addInRange(event);
      }
    }
    this.trim();
  }

  /** Adds the events, and returns those older than `from`, which memory does not keep. */
  add(events: readonly PredictionEvent[]): PredictionEvent[] {
    const older: PredictionEvent[] = [];
    for (const event of events) {
      if (event.timestamp < this.fromTimestamp) older.push(event);
      else this.addInRange(event);
    }
    this.trim();
    return older;
  }

  /** Sets the actual of an event in memory, and returns false when it is not there. */
  setActual(stream: string, id: string, actual: number | string): boolean {
    return this.streams.get(stream)?.setActual(id, actual) === true;
  }

  read(stream: string, range: TimeRange): PredictionEvent[] {
    return this.streams.get(stream)?.read(range) ?? [];
  }

  /** Drops the events before `cut` and moves `from` up to it. An earlier cut does nothing. */
  dropBefore(cut: number): void {
    if (!(cut > this.fromTimestamp)) return;
    this.fromTimestamp = cut;
    for (const [stream, window] of this.streams) {
      this.eventCount -= window.dropBefore(cut);
      if (window.size === 0) this.streams.delete(stream);
    }
  }

  private addInRange(event: PredictionEvent): void {
    let window = this.streams.get(event.stream);
    if (window === undefined) {
      window = new StreamWindow(this.bucketMs);
      this.streams.set(event.stream, window);
    }
    if (window.add(event)) this.eventCount += 1;
  }

  private trim(): void {
    if (this.eventCount <= this.maxEvents) return;
    const excess = this.eventCount - keptAfterTrim(this.maxEvents);
    this.dropBefore(cutForExcess(this.streams.values(), excess, this.bucketMs));
  }
}
