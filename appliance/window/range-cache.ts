import type { TimeRange } from '../core/types.ts';

interface CacheEntry<T> {
  group: string;
  range: TimeRange;
  value: T;
  /** Events or points in `value`, the unit of the cache bound. */
  size: number;
}

/**
 * A least-recently-used cache of store reads by range, bounded by entry count and by the
 * total events or points held. A read larger than the whole bound is not cached. Entries
 * carry a group (a stream or a series name) so a late write can invalidate what it touches.
 */
export class RangeCache<T> {
  private readonly entries = new Map<string, CacheEntry<T>>();
  private heldSize = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxSize: number,
  ) {}

  get(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;

    // Map iteration follows insertion order, so re-inserting marks the entry most recent.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, group: string, range: TimeRange, value: T, size: number): void {
    if (size > this.maxSize) return;
    this.delete(key);
    this.entries.set(key, { group, range, value, size });
    this.heldSize += size;

    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries && this.heldSize <= this.maxSize) break;
      this.delete(oldest);
    }
  }

  /** Deletes the entries of a group, only those whose range contains `timestamp` if given. */
  invalidate(group: string, timestamp?: number): void {
    for (const [key, entry] of this.entries) {
      if (entry.group !== group) continue;
      const { from, to } = entry.range;
      if (timestamp === undefined || (timestamp >= from && timestamp < to)) this.delete(key);
    }
  }

  clear(): void {
    this.entries.clear();
    this.heldSize = 0;
  }

  private delete(key: string): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.entries.delete(key);
    this.heldSize -= entry.size;
  }
}
