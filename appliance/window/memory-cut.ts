/** A window of tumbling buckets that the memory bound can cut (a stream or a series). */
export interface CuttableWindow {
  bucketSizes(): Iterable<[number, number]>;
  timestampsIn(start: number): readonly number[];
}

/**
 * Returns the smallest timestamp `cut` such that the items older than `cut`, summed over
 * every window, number at least `excess`. All windows must share one bucket width. Items
 * that share the timestamp at the cut go together, so the cut may take more than `excess`.
 * Returns Infinity when the windows hold `excess` items or fewer.
 */
export function cutForExcess(
  windows: Iterable<CuttableWindow>,
  excess: number,
  bucketMs: number,
): number {
  const totals = new Map<number, number>();
  const list = [...windows];
  for (const window of list) {
    for (const [start, size] of window.bucketSizes()) {
      totals.set(start, (totals.get(start) ?? 0) + size);
    }
  }

  let dropped = 0;
  for (const start of [...totals.keys()].sort((a, b) => a - b)) {
    const size = totals.get(start)!;
    if (dropped + size < excess) {
      dropped += size;
      continue;
    }
    return cutInsideBucket(list, start, excess - dropped, bucketMs);
  }
  return Number.POSITIVE_INFINITY;
}

/** Returns the cut that takes `needed` (at least 1) items of the buckets starting at `start`. */
function cutInsideBucket(
  windows: readonly CuttableWindow[],
  start: number,
  needed: number,
  bucketMs: number,
): number {
  const timestamps: number[] = [];
  for (const window of windows) {
    for (const timestamp of window.timestampsIn(start)) timestamps.push(timestamp);
  }
  timestamps.sort((a, b) => a - b);

  // Everything up to and including the needed-th oldest timestamp goes, so the cut is the
  // next larger timestamp in the bucket, or the bucket's end when there is none.
  const last = timestamps[Math.max(0, needed - 1)]!;
  const next = timestamps.find((timestamp) => timestamp > last);
  return next ?? start + bucketMs;
}

/**
 * Items left after a trim of window memory: 90% of the bound, so a steady stream of new
 * items triggers a trim once per tenth of the bound, not on every add.
 */
export function keptAfterTrim(max: number): number {
  return max - Math.floor(max / 10);
}
