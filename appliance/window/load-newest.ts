import type { TimeRange } from '../core/types.ts';
import { bucketStart } from './buckets.ts';

/** One store read of a newest-first load. */
export interface LoadedChunk<T> {
  range: TimeRange;
  items: T;
  /** Events or points in `items`. */
  size: number;
}

export interface LoadNewestOptions<T> {
  /** Oldest timestamp to load, epoch ms. */
  from: number;
  /** The chunk that contains `now` is read first, together with everything after it. */
  now: number;
  bucketMs: number;
  /** The load stops once it has read this many events or points. */
  maxSize: number;
  read(range: TimeRange): { items: T; size: number };
}

/**
 * Reads [from, Infinity) from the store newest first, in chunks of whole buckets, and stops
 * once `maxSize` items are loaded. A chunk doubles in width while it returns less than a
 * quarter of the budget left, so sparse data takes few reads. The load returns at most
 * `maxSize` items plus one chunk. Returns the chunks oldest first and `loadedFrom`, the start of
 * the range it read completely.
 */
export function loadNewest<T>(options: LoadNewestOptions<T>): {
  chunks: LoadedChunk<T>[];
  loadedFrom: number;
} {
  const { from, bucketMs, maxSize } = options;
  const chunks: LoadedChunk<T>[] = [];
  let upper = Number.POSITIVE_INFINITY;
  let lower = Math.max(from, bucketStart(options.now, bucketMs));
  let width = bucketMs;
  let total = 0;

  for (;;) {
    const range = { from: lower, to: upper };
    const { items, size } = options.read(range);
    chunks.push({ range, items, size });
    total += size;
    if (total >= maxSize || lower <= from) break;

    if (size < (maxSize - total) / 4) width *= 2;
    upper = lower;
    lower = Math.max(from, upper - width);
  }
  return { chunks: chunks.reverse(), loadedFrom: lower };
}
