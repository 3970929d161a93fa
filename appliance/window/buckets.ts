import type { TimeRange } from '../core/types.ts';

/** Returns the start of the tumbling bucket of width `bucketMs` that contains `timestamp`. */
export function bucketStart(timestamp: number, bucketMs: number): number {
  return Math.floor(timestamp / bucketMs) * bucketMs;
}

/**
 * Returns, in ascending order, the starts of the buckets in `buckets` that overlap the
 * half-open range. It walks the range bucket by bucket when that is shorter than the map,
 * so an open-ended range such as [t, Infinity) costs no more than the map size.
 */
export function overlappingStarts<T>(
  buckets: ReadonlyMap<number, T>,
  range: TimeRange,
  bucketMs: number,
): number[] {
  const first = bucketStart(range.from, bucketMs);
  const steps = (range.to - first) / bucketMs;
  if (steps <= buckets.size) {
    const starts: number[] = [];
    for (let start = first; start < range.to; start += bucketMs) {
      if (buckets.has(start)) starts.push(start);
    }
    return starts;
  }

  const starts = [...buckets.keys()].filter((start) => start >= first && start < range.to);
  return starts.sort((a, b) => a - b);
}

/** Returns the first index whose timestamp is >= `timestamp` in an ascending array. */
export function lowerBound(length: number, timestampAt: (i: number) => number, timestamp: number) {
  let low = 0;
  let high = length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (timestampAt(middle) < timestamp) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Yields each bucket start with the size `sizeOf` gives its bucket. */
export function* mapSizes<T>(
  buckets: ReadonlyMap<number, T>,
  sizeOf: (bucket: T) => number,
): IterableIterator<[number, number]> {
  for (const [start, bucket] of buckets) yield [start, sizeOf(bucket)];
}
