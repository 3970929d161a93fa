import type { TimeRange } from '../core/types.ts';
import { bucketStart, lowerBound, overlappingStarts } from './buckets.ts';

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

  add(timestamp: number, value: number): void {
    const start = bucketStart(timestamp, this.bucketMs);
    const bucket = this.buckets.get(start);
    if (bucket === undefined) {
      this.buckets.set(start, { timestamps: [timestamp], values: [value], sorted: true });
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

  /** Drops every bucket that starts before `cut`, which must be a bucket start. */
  dropBefore(cut: number): void {
    for (const start of this.buckets.keys()) {
      if (start < cut) this.buckets.delete(start);
    }
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

    bucket.timestamps = timestamps;
    bucket.values = values;
    bucket.sorted = true;
    return bucket;
  }
}
