import type { TimeRange } from '../core/types.ts';
import { bucketStart, lowerBound, mapSizes, overlappingStarts } from './buckets.ts';

/** The points of one tumbling bucket as parallel arrays. `sorted` turns false on a late point. */
interface PointBucket {
  timestamps: number[];
  values: number[];
  sorted: boolean;
}

/**
 * The in-memory points of one series (one name and labelset) in tumbling buckets of event
 * time. As in the store, a later point at an existing timestamp replaces the earlier one.
 */
export class SeriesWindow {
  private readonly buckets = new Map<number, PointBucket>();
  private pointCount = 0;

  /** A null-prototype copy of the labelset, shared by every read of this series. */
  readonly labels: Record<string, string> = Object.create(null);

  constructor(
    readonly name: string,
    labels: Readonly<Record<string, string>>,
    private readonly bucketMs: number,
  ) {
    Object.assign(this.labels, labels);
  }

  get isEmpty(): boolean {
    return this.buckets.size === 0;
  }

  /**
   * Points held. A late point at a timestamp already held counts until the next read of its
   * bucket replaces the earlier value.
   */
  get size(): number {
    return this.pointCount;
  }

  add(timestamp: number, value: number): void {
    const start = bucketStart(timestamp, this.bucketMs);
    const bucket = this.buckets.get(start);
    if (bucket === undefined) {
      this.buckets.set(start, { timestamps: [timestamp], values: [value], sorted: true });
      this.pointCount += 1;
      return;
    }

    const last = bucket.timestamps[bucket.timestamps.length - 1]!;
    if (timestamp === last) {
      bucket.values[bucket.values.length - 1] = value;
      return;
    }
    if (timestamp < last) bucket.sorted = false;
    bucket.timestamps.push(timestamp);
    bucket.values.push(value);
    this.pointCount += 1;
  }

  /** Appends the points in the range, by timestamp, to `timestamps` and `values`. */
  read(range: TimeRange, timestamps: number[], values: number[]): void {
    for (const start of overlappingStarts(this.buckets, range, this.bucketMs)) {
      const bucket = this.sortedBucket(this.buckets.get(start)!);
      const times = bucket.timestamps;
      const first = lowerBound(times.length, (i) => times[i]!, range.from);
      const end = lowerBound(times.length, (i) => times[i]!, range.to);
      for (let i = first; i < end; i++) {
        timestamps.push(times[i]!);
        values.push(bucket.values[i]!);
      }
    }
  }

  /** Point counts per bucket start, for choosing where to cut memory. */
  bucketSizes(): IterableIterator<[number, number]> {
    return mapSizes(this.buckets, (bucket) => bucket.timestamps.length);
  }

  /** Timestamps of the points in the bucket that starts at `start`, in no particular order. */
  timestampsIn(start: number): readonly number[] {
    return this.buckets.get(start)?.timestamps ?? [];
  }

  /**
   * Drops every point with a timestamp before `cut`, which may fall inside a bucket, and
   * returns how many it dropped.
   */
  dropBefore(cut: number): number {
    const before = this.pointCount;
    for (const [start, bucket] of this.buckets) {
      if (start + this.bucketMs <= cut) {
        this.pointCount -= bucket.timestamps.length;
        this.buckets.delete(start);
      } else if (start < cut) {
        const sorted = this.sortedBucket(bucket);
        const end = lowerBound(sorted.timestamps.length, (i) => sorted.timestamps[i]!, cut);
        sorted.timestamps.splice(0, end);
        sorted.values.splice(0, end);
        this.pointCount -= end;
        if (sorted.timestamps.length === 0) this.buckets.delete(start);
      }
    }
    return before - this.pointCount;
  }

  /** Sorts a bucket by timestamp and keeps, per timestamp, the value that arrived last. */
  private sortedBucket(bucket: PointBucket): PointBucket {
    if (bucket.sorted) return bucket;

    const order = bucket.timestamps.map((_, i) => i);
    order.sort((a, b) => bucket.timestamps[a]! - bucket.timestamps[b]! || a - b);
    const timestamps: number[] = [];
    const values: number[] = [];
    for (const i of order) {
      const timestamp = bucket.timestamps[i]!;
      if (timestamps.length > 0 && timestamps[timestamps.length - 1] === timestamp) {
        values[values.length - 1] = bucket.values[i]!;
        continue;
      }
      timestamps.push(timestamp);
      values.push(bucket.values[i]!);
    }

    this.pointCount -= bucket.timestamps.length - timestamps.length;
    bucket.timestamps = timestamps;
    bucket.values = values;
    bucket.sorted = true;
    return bucket;
  }
}
